-- POST /v1/activities: a valid body for a random account, type, status and instant.
local common = require("common")
local account_min, account_max, headers
local types = { "CALL", "EMAIL", "MEETING", "CHAT", "SITE_VISIT", "REVIEW", "PRESENTATION",
                "TRAINING" }
local statuses = { "PENDING", "COMPLETED", "CANCELLED" }

setup = common.setup
done = common.done

function init(args)
  common.init()
  account_min = tonumber(common.env("TP_ACCOUNT_MIN"))
  account_max = tonumber(common.env("TP_ACCOUNT_MAX"))
  headers = common.headers(true)
end

function request()
  local body = string.format(
    '{"accountId":"%d","activityTimestamp":"2025-%02d-%02dT%02d:%02d:00Z","duration":%d,'
      .. '"location":"Zoom","type":"%s","status":"%s","title":"Bench meeting",'
      .. '"participants":[{"email":"buyer@example.com","name":"Pat Buyer"}]}',
    math.random(account_min, account_max), math.random(1, 12), math.random(1, 28),
    math.random(0, 23), math.random(0, 59), math.random(0, 120),
    types[math.random(1, #types)], statuses[math.random(1, #statuses)])
  return wrk.format("POST", "/v1/activities", headers, body)
end

if common.checking() then
  response = common.response
end
