-- POST /api/v1/determine: the reference question (resist to Korea, 2019-09-01).
dofile((os.getenv("WRK_LUA_DIR") or "bench/wrk") .. "/common.lua")
setup_post("/api/v1/determine", {
  '{"regime":"jp","items":["3C002"],"destination":"KR","date":"2019-09-01"}',
})
