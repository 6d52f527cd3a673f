-- GET /v1/accounts/{id}/activities?limit=50 (the timeline's first page) for random accounts.
local common = require("common")
local account_min, account_max, headers

setup = common.setup
done = common.done

function init(args)
  common.init()
  account_min = tonumber(common.env("TP_ACCOUNT_MIN"))
  account_max = tonumber(common.env("TP_ACCOUNT_MAX"))
  headers = common.headers(false)
end

function request()
  local path = "/v1/accounts/" .. math.random(account_min, account_max) .. "/activities?limit=50"
  return wrk.format("GET", path, headers)
end

if common.checking() then
  response = common.response
end
