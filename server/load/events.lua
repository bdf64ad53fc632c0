-- wrk -s server/load/events.lua: POST /events, 50 new cases a request,
-- case ids unique per thread and request, matters spread over 5,000 keys
-- and 12 places, at the wall clock's time.
local places = {"110105021", "110105", "110118101", "120101", "440305007", "440306018",
                "4403", "420106", "429004", "320582", "654201200", "330110"}
local counter = 0
local batch = 50

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

request = function()
  counter = counter + 1
  local t = os.time()
  local parts = {}
  for k = 1, batch do
    local n = counter * batch + k
    parts[k] = string.format(
      '{"event":"arrive","case":"w%d-%d","matter":"m%d","category":"public_complaint","places":[{"code":"%s"}],"people":1,"at":%d}',
      thread_id, n, n % 5000, places[(n % #places) + 1], t)
  end
  return wrk.format("POST", "/events", {["Content-Type"] = "application/json"}, "[" .. table.concat(parts, ",") .. "]")
end

local failures = 0
response = function(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures < 5 then print(status, body) end
  end
end
