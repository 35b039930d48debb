-- wrk script: GET /cases/{id} with ids drawn at random from a file of
-- public case ids (one per line, written by scripts/load/seed).
--
--   wrk -t2 -c64 -d15s --latency -s random_case.lua http://127.0.0.1:18080 -- /path/to/ids.txt [uncached]
--
-- With "uncached", each request adds a unique, otherwise ignored "nocache"
-- parameter, so it misses the server's page cache (keyed by the request
-- URI) and the page is built from the database every time.
--
-- Each wrk thread runs its own copy of this script, so each reads the file
-- and seeds its own random generator.

local ids = {}
local uncached = false
local n = 0

function init(args)
  local path = args[1]
  if path == nil then
    error("random_case.lua: pass the ids file after --")
  end
  uncached = args[2] == "uncached"
  if args[2] ~= nil and not uncached then
    error("random_case.lua: the second argument can only be uncached")
  end
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    local id = line:match("^%s*(%d+)%s*$")
    if id then ids[#ids + 1] = id end
  end
  f:close()
  if #ids == 0 then
    error("random_case.lua: no ids in " .. path)
  end
  -- Each thread has its own Lua state, so the address of a fresh table
  -- differs between threads: it makes their random sequences differ.
  local addr = tonumber((tostring({}):match("0x(%x+)") or "0"), 16) or 0
  math.randomseed(os.time() + addr % 1000003)
end

function request()
  local path = "/cases/" .. ids[math.random(#ids)]
  if uncached then
    n = n + 1
    path = path .. "?nocache=" .. math.random(1, 1000000000) .. "-" .. n
  end
  return wrk.format("GET", path)
end
