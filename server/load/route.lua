-- wrk -s server/load/route.lua: POST /route with one case.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"places": ["429004", "429005"], "category": "environment"}'
