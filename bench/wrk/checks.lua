-- POST /api/v1/checks: a small shipment (one item, one party), stored with
-- its audit entry; each request is a durable SQLite commit.
dofile((os.getenv("WRK_LUA_DIR") or "bench/wrk") .. "/common.lua")
setup_post("/api/v1/checks", {
  '{"regime":"jp","date":"2019-09-01","destination":"KR","end_use_concern":false,"items":[{"item":"3C002","description":"resist","quantity":100,"value":25000,"currency":"JPY"}],"parties":[{"role":"buyer","name":"Daehan Semiconductor","country":"KR"}]}',
})
