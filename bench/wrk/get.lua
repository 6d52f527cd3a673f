-- GET /v1/activities/{id} for random ids of the loaded rows.
local common = require("common")
local min_id, max_id, headers

setup = common.setup
done = common.done

function init(args)
  common.init()
  min_id = tonumber(common.env("TP_MIN_ID"))
  max_id = tonumber(common.env("TP_MAX_ID"))
  headers = common.headers(false)
end

function request()
  return wrk.format("GET", "/v1/activities/" .. math.random(min_id, max_id), headers)
end

if common.checking() then
  response = common.response
end
