-- The chat's entry script for a connmix engine (v1.0.3, `protocol: websocket`); src/entry.ts is
-- its JS counterpart for the dev mesh. Every text frame goes to the `chat` topic with the
-- connection's context, and a login holds the connection's next frames until a worker has set
-- its `uid` (or refused it with an empty one). Joins and leaves go to the `activity` topic.
--
-- Differences from the JS entry, because the engine's Lua API has no way to do them:
-- * a script does not know its engine's node id: activity events carry no `node`; a worker
--   takes it from the message (`msg.node`);
-- * `wait_context_value` has no timeout: a login the worker never answers holds the
--   connection until it closes (the JS entry drops it after 10 s).

local TOPIC_CHAT = "chat"
local TOPIC_ACTIVITY = "activity"

local function push(topic, data)
  local _, err = mix.queue.push(topic, data)
  if err then
    mix.log(mix.ERROR, "push to " .. topic .. " failed: " .. err)
  end
  return err
end

local function is_login_attempt(text)
  local value = mix.json_decode(text)
  return type(value) == "table" and value["op"] == "login"
end

function on_handshake(client_id, headers, server)
  push(TOPIC_ACTIVITY, { event = "join", clientId = client_id })
end

function on_message(msg)
  local conn = mix.websocket()
  if msg["type"] ~= "text" then
    conn:send(mix.json_encode({ type = "error", text = "send JSON text frames" }))
    return
  end
  if push(TOPIC_CHAT, { ctx = conn:context(), msg = msg["data"] }) then
    conn:close()
    return
  end
  local uid = conn:context_value("uid")
  if is_login_attempt(msg["data"]) and (uid == nil or uid == "") then
    conn:wait_context_value("uid")
  end
end

function on_close(client_id, err)
  local conn = mix.websocket()
  local uid = conn and conn:context_value("uid")
  if uid == "" then uid = nil end
  push(TOPIC_ACTIVITY, { event = "leave", clientId = client_id, uid = uid })
end
