-- GET of one fixed path (TP_PATH): the deep-paging pages, page 1 and page 10,001.
local common = require("common")
local path, headers

setup = common.setup
done = common.done

function init(args)
  common.init()
  path = common.env("TP_PATH")
  headers = common.headers(false)
end

function request()
  return wrk.format("GET", path, headers)
end

if common.checking() then
  response = common.response
end
