-- wrk script: GET /cases/{id} with ids drawn at random from a file of
-- public case ids (one per line, written by scripts/load/seed).
--
--   wrk -t2 -c64 -d15s --latency -s random_case.lua http://127.0.0.1:18080 -- /path/to/ids.txt
--
-- Each wrk thread runs its own copy of this script, so each reads the file
-- and seeds its own random generator.

local ids = {}

function init(args)
  local path = args[1]
  if path == nil then
    error("random_case.lua: pass the ids file after --")
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
  return wrk.format("GET", "/cases/" .. ids[math.random(#ids)])
end
