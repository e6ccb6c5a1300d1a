-- wrk script: compact announces (numwant=50) spread over the info hashes in the file given
-- after `--`, ten peers per torrent (three seeders, seven leechers) re-announcing at random.
-- With COUNT_FAILURES=1 in the environment it also counts replies that carry a bencoded
-- "failure reason" and prints "failure replies: N of M" (reading bodies slows wrk a little).
local hashes = {}

function init(args)
  local f = assert(io.open(args[1], "r"))
  for line in f:lines() do
    if #line == 40 then
      hashes[#hashes + 1] = (line:gsub("(%x%x)", "%%%1"))
    end
  end
  f:close()
  math.randomseed(os.time() + #tostring({}))
end

function request()
  local t = math.random(#hashes)
  local p = math.random(0, 9)
  local left = 0
  if p >= 3 then left = 1000 end
  local path = string.format(
    "/announce?info_hash=%s&peer_id=-BN0001-%06d%06d&port=%d&uploaded=0&downloaded=0&left=%d&compact=1&numwant=50",
    hashes[t], t, p, 10000 + p, left)
  return wrk.format("GET", path)
end

if os.getenv("COUNT_FAILURES") == "1" then
  local threads = {}
  failures, replies = 0, 0

  function setup(thread)
    threads[#threads + 1] = thread
  end

  function response(status, headers, body)
    replies = replies + 1
    if body:find("failure reason", 1, true) then
      failures = failures + 1
    end
  end

  function done(summary, latency, requests)
    local f, n = 0, 0
    for _, t in ipairs(threads) do
      f = f + t:get("failures")
      n = n + t:get("replies")
    end
    io.write(string.format("failure replies: %d of %d\n", f, n))
  end
end
