-- wrk script: requests that miss the server's page cache, to measure
-- what a page costs when it has to be built (the cache key is the request
-- URI, so a unique, otherwise ignored "nocache" parameter forces a miss).
--
--   wrk ... -s uncached.lua http://127.0.0.1:18080 -- home
--   wrk ... -s uncached.lua http://127.0.0.1:18080 -- listing [PAGES]
--   wrk ... -s uncached.lua http://127.0.0.1:18080 -- search
--
-- listing: /cases?page=N with N random in 1..PAGES (default 10: the pages
-- people actually browse). search: /cases?q=TERM with a random fictional
-- name of the generated load-test cases (each shared by ~500 cases).

local kind, pages
local n = 0
local terms = {
  "Ada", "Bram", "Cleo", "Dunstan", "Edda", "Fergus", "Greta", "Hollis", "Ida", "Jasper",
  "Tuckamore", "Bakeapple", "Crowberry", "Capelin", "Dulse", "Gansey", "Tickle", "Kittiwake",
  "Mummer", "Lassy", "Bogbean", "Puffin", "Gullcry", "Caribou", "Gannet", "Tamarack",
}

function init(args)
  kind = args[1] or "listing"
  pages = tonumber(args[2] or "10") or 10
  if kind ~= "home" and kind ~= "listing" and kind ~= "search" then
    error("uncached.lua: kind must be home, listing or search")
  end
  local addr = tonumber((tostring({}):match("0x(%x+)") or "0"), 16) or 0
  math.randomseed(os.time() + addr % 1000003)
end

function request()
  n = n + 1
  local bust = "nocache=" .. math.random(1, 1000000000) .. "-" .. n
  local path
  if kind == "home" then
    path = "/?" .. bust
  elseif kind == "listing" then
    path = "/cases?page=" .. math.random(1, pages) .. "&" .. bust
  else
    path = "/cases?q=" .. terms[math.random(#terms)] .. "&" .. bust
  end
  return wrk.format("GET", path)
end
