-- wrk script: listing pages and searches spread over many URLs, to measure
-- what pages cost to build. Run it against a server with its page cache
-- off (LOSTINNL_PAGE_CACHE_MB=0, as run.sh does): with the cache on, these
-- URLs would be answered from memory after their first request.
--
--   wrk ... -s uncached.lua http://127.0.0.1:18080 -- listing [PAGES]
--   wrk ... -s uncached.lua http://127.0.0.1:18080 -- search QUERIES_FILE
--
-- listing: /cases?page=N with N random in 1..PAGES (default 10: the pages
-- people actually browse). search: /cases?q=QUERY, rotating through the
-- queries in QUERIES_FILE (one per line, as written by
-- `scripts/load/seed -queries FILE`: at least 2,000 distinct, realistic
-- searches over the generated cases: names, typos, nicknames, places,
-- descriptions, and some that match nothing). Each thread starts at a
-- random line and walks the list in order, so every query is asked about
-- equally often and no search is answered from a warm result for long.

local kind, pages
local paths = {}
local next_index = 1

-- Percent-encodes a query for the URL (bytewise, so UTF-8 names such as
-- Côté come out as %C3%B4).
local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  kind = args[1] or "listing"
  if kind ~= "listing" and kind ~= "search" then
    error("uncached.lua: kind must be listing or search")
  end
  -- Each thread has its own Lua state, so the address of a fresh table
  -- differs between threads: it makes their random sequences differ.
  local addr = tonumber((tostring({}):match("0x(%x+)") or "0"), 16) or 0
  math.randomseed(os.time() + addr % 1000003)
  if kind == "listing" then
    pages = tonumber(args[2] or "10") or 10
    return
  end
  local path = args[2]
  if path == nil then
    error("uncached.lua: search needs the queries file after it (scripts/load/seed -queries FILE)")
  end
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    local q = line:match("^%s*(.-)%s*$")
    if q ~= "" then paths[#paths + 1] = "/cases?q=" .. urlencode(q) end
  end
  f:close()
  if #paths == 0 then
    error("uncached.lua: no queries in " .. path)
  end
  next_index = math.random(#paths)
end

function request()
  if kind == "listing" then
    return wrk.format("GET", "/cases?page=" .. math.random(1, pages))
  end
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
