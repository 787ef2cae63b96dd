-- The chat's entry script for a connmix engine (v1.0.3, `protocol: websocket`); src/entry.ts is
-- its JS counterpart for the dev mesh. Every text frame goes to the `chat` topic with the
-- connection's context, and a login holds the connection's next frames until a worker has set
-- its `uid` (or refused it with the worker's LOGIN_REFUSED, which the entry then forgets). A
-- keepalive `{"op":"ping"}` is answered here and never reaches the worker. Joins and leaves go
-- to the `activity` topic.
--
-- Differences from the JS entry, because the engine's Lua API has no way to do them:
-- * a script does not know its engine's node id: activity events carry no `node`; a worker
--   takes it from the message (`msg.node`);
-- * `wait_context_value` has no timeout: a login the worker never answers holds the
--   connection until it closes (the JS entry drops it after 10 s).

local TOPIC_CHAT = "chat"
local TOPIC_ACTIVITY = "activity"
-- What the worker sets `uid` to when it refuses a login (LOGIN_REFUSED in src/protocol.ts): it
-- releases the wait like a real uid would, and tells the entry to forget it.
local LOGIN_REFUSED = "\0refused"
local PONG = '{"type":"pong"}'

local function push(topic, data)
  local _, err = mix.queue.push(topic, data)
  if err then
    mix.log(mix.ERROR, "push to " .. topic .. " failed: " .. err)
  end
  return err
end

-- The `op` of a frame that is a JSON object, or nil.
local function op_of(text)
  local value = mix.json_decode(text)
  if type(value) ~= "table" then return nil end
  return value["op"]
end

-- A uid the worker set for a user who logged in (not empty, not the refusal), or nil.
local function logged_in_name(uid)
  if type(uid) ~= "string" or uid == "" or uid == LOGIN_REFUSED then return nil end
  return uid
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
  local op = op_of(msg["data"])
  if op == "ping" then
    -- It only has to reach the engine to keep the connection past the idle limit.
    conn:send(PONG)
    return
  end
  if push(TOPIC_CHAT, { ctx = conn:context(), msg = msg["data"] }) then
    conn:close()
    return
  end
  if op ~= "login" or conn:context_value("uid") ~= nil then return end
  if conn:wait_context_value("uid") == LOGIN_REFUSED then
    -- Forget the refusal, so that the next login attempt waits for the worker again.
    conn:set_context_value("uid", nil)
  end
end

function on_close(client_id, err)
  local conn = mix.websocket()
  local uid = conn and logged_in_name(conn:context_value("uid"))
  push(TOPIC_ACTIVITY, { event = "leave", clientId = client_id, uid = uid })
end
