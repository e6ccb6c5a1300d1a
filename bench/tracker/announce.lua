-- wrk script: compact announces (numwant=50) spread over the info hashes in the file given
-- after `--`, ten peers per torrent (three seeders, seven leechers) re-announcing at random.
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
