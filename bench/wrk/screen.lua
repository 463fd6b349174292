-- POST /api/v1/screen, rotating over names: fictitious ones of
-- examples/demo-list.csv, real UN-listed entities (found when the UN list is
-- in the index), and names that match nothing.
dofile((os.getenv("WRK_LUA_DIR") or "bench/wrk") .. "/common.lua")
setup_post("/api/v1/screen", {
  '{"name":"Fictitia Precision Optics"}',
  '{"name":"KOREA MINING DEVELOPMENT TRADING CORPORATION"}',
  '{"name":"Daehan Semiconductor"}',
  '{"name":"Imaginary Rocketworks Ltd"}',
  '{"name":"Tanchon Commercial Bank"}',
  '{"name":"Nordlicht Maschinenbau GmbH"}',
  '{"name":"Ivo Democratov"}',
  '{"name":"Chongchongang Shipping"}',
})
