-- wrk script: listing pages and searches spread over many URLs, to measure
-- what pages cost to build. Run it against a server with its page cache
-- off (LOSTINNL_PAGE_CACHE_MB=0, as run.sh does): with the cache on, these
-- few dozen URLs would be answered from memory after their first request.
--
--   wrk ... -s uncached.lua http://127.0.0.1:18080 -- listing [PAGES]
--   wrk ... -s uncached.lua http://127.0.0.1:18080 -- search
--
-- listing: /cases?page=N with N random in 1..PAGES (default 10: the pages
-- people actually browse). search: /cases?q=TERM with a random fictional
-- name of the generated load-test cases (each shared by ~500 cases).

local kind, pages
local terms = {
  "Ada", "Bram", "Cleo", "Dunstan", "Edda", "Fergus", "Greta", "Hollis", "Ida", "Jasper",
  "Tuckamore", "Bakeapple", "Crowberry", "Capelin", "Dulse", "Gansey", "Tickle", "Kittiwake",
  "Mummer", "Lassy", "Bogbean", "Puffin", "Gullcry", "Caribou", "Gannet", "Tamarack",
}

function init(args)
  kind = args[1] or "listing"
  pages = tonumber(args[2] or "10") or 10
  if kind ~= "listing" and kind ~= "search" then
    error("uncached.lua: kind must be listing or search")
  end
  local addr = tonumber((tostring({}):match("0x(%x+)") or "0"), 16) or 0
  math.randomseed(os.time() + addr % 1000003)
end

function request()
  local path
  if kind == "listing" then
    path = "/cases?page=" .. math.random(1, pages)
  else
    path = "/cases?q=" .. terms[math.random(#terms)]
  end
  return wrk.format("GET", path)
end
