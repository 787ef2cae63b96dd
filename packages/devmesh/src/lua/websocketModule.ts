/**
 * The dev mesh's `protocols/websocket` module, used when the script's folder has none: a
 * WebSocket server written in Lua over `protocol_input` bytes, behaving as the connmix module
 * does (see LUA.md): the request path is matched as a Lua pattern at position 1, headers keep
 * their case, the handshake stores `__handshake` and `headers` in the context, every frame is
 * stored as `__last_frame` = {data, type, finish}, pings reach the script (no pong), payloads are
 * limited to 65535 bytes and masking is not enforced.
 *
 * Both calling conventions work: v1.0.2's `input(buf, conn, uri, on_handshake)`,
 * `decode(conn)`, `send_text(conn, data)`, and v1.0.3's `input(buf[, uri], on_handshake)`,
 * `decode(str)`, `send_text(data)` (the connection is then `mix.socket.tcp()`).
 */
export const WEBSOCKET_MODULE = String.raw`
local M = {}
local GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
local CRLF = "\r\n"
local MAX_PAYLOAD = 65535
local OPCODES = { [0] = "continuation", [1] = "text", [2] = "binary", [8] = "close", [9] = "ping", [10] = "pong" }

local function is_conn(value)
  return type(value) == "table" and type(value.client_id) == "function"
end

local function parse_request(head)
  local headers = {}
  local lines = mix.str_split(head, CRLF)
  for i, line in ipairs(lines) do
    if line ~= "" then
      if i == 1 then
        local parts = mix.str_split(line, " ")
        if #parts == 3 then
          headers.Method, headers.RequestUri, headers.ServerProtocol = parts[1], parts[2], parts[3]
        end
      else
        local parts = mix.str_split(line, ": ")
        if #parts == 2 then headers[parts[1]] = parts[2] end
      end
    end
  end
  return headers
end

-- Why a request is refused, or nil when it is a WebSocket upgrade the module accepts.
local function refusal(headers, uri)
  if uri ~= nil and uri ~= "" then
    if headers.RequestUri == nil or string.find(headers.RequestUri, uri) ~= 1 then return "uri does not allow" end
  end
  if headers.ServerProtocol ~= "HTTP/1.1" then return "bad http version" end
  if headers.Upgrade == nil or string.lower(headers.Upgrade) ~= "websocket" then return "bad upgrade header" end
  if headers.Connection == nil or not string.find(string.lower(headers.Connection), "upgrade", 1, true) then
    return "bad connection header"
  end
  if headers["Sec-WebSocket-Key"] == nil then return "no sec-websocket-key header" end
  if headers["Sec-WebSocket-Version"] ~= "13" then return "bad sec-websocket-version header" end
  return nil
end

local function handshake(buf, conn, uri, on_handshake, classic)
  local text = buf:tostring()
  if not string.find(text, CRLF .. CRLF, 1, true) then return 0 end
  local headers = parse_request(text)
  local why = refusal(headers, uri)
  if why then
    mix.log(mix.DEBUG, "websocket handshake refused: " .. why)
    return -1
  end
  local accept = mix.base64_encode(mix.sha1_bin(headers["Sec-WebSocket-Key"] .. GUID))
  local response = { "HTTP/1.1 101 Switching Protocols", "Server: connmix", "Upgrade: websocket",
                     "Connection: Upgrade", "Sec-WebSocket-Accept: " .. accept }
  -- the module looks the subprotocol up in lower case, which the case-kept headers never match
  local protocol = headers["sec-websocket-protocol"]
  if protocol then response[#response + 1] = "Sec-WebSocket-Protocol: " .. protocol end
  local err = conn:send(table.concat(response, CRLF) .. CRLF .. CRLF)
  if err then
    mix.log(mix.DEBUG, "websocket handshake send failed: " .. tostring(err))
    return -1
  end
  conn:clear_buffer()
  conn:set_context_value("__handshake", true)
  conn:set_context_value("headers", headers)
  if on_handshake ~= nil then
    if classic then
      on_handshake(headers, conn)
    else
      on_handshake(conn:client_id(), headers, {
        Method = headers.Method, RequestUri = headers.RequestUri, ServerProtocol = headers.ServerProtocol,
        Host = headers.Host, RemoteAddr = conn:remote_addr(),
      })
    end
  end
  return 0
end

local function unmask(payload, key)
  local k = { string.byte(key, 1, 4) }
  local out, chunk = {}, {}
  for i = 1, #payload do
    chunk[#chunk + 1] = string.byte(payload, i) ~ k[(i - 1) % 4 + 1]
    if #chunk == 4096 then
      out[#out + 1] = string.char(table.unpack(chunk))
      chunk = {}
    end
  end
  if #chunk > 0 then out[#out + 1] = string.char(table.unpack(chunk)) end
  return table.concat(out)
end

-- Returns the end of the frame (0: wait for more, -1: disconnect) and the frame.
local function read_frame(buf)
  local head = buf:read(2)
  if not head then return 0 end
  local b1, b2 = string.byte(head, 1, 2)
  local fin, opcode = (b1 & 0x80) ~= 0, b1 & 0x0f
  if (b1 & 0x70) ~= 0 then return -1, nil, "bad RSV bits" end
  if OPCODES[opcode] == nil then return -1, nil, "reserved opcode" end
  local masked, len = (b2 & 0x80) ~= 0, b2 & 0x7f
  if len == 126 then
    local ext = buf:read(2)
    if not ext then return 0 end
    len = string.byte(ext, 1) << 8 | string.byte(ext, 2)
  elseif len == 127 then
    local ext = buf:read(8)
    if not ext then return 0 end
    local hi = string.byte(ext, 1) | string.byte(ext, 2) | string.byte(ext, 3) | string.byte(ext, 4)
    if hi ~= 0 or (string.byte(ext, 5) & 0x80) ~= 0 then return -1, nil, "payload length over 31 bits" end
    len = string.byte(ext, 5) << 24 | string.byte(ext, 6) << 16 | string.byte(ext, 7) << 8 | string.byte(ext, 8)
  end
  if opcode >= 8 and (len > 125 or not fin) then return -1, nil, "bad control frame" end
  if len > MAX_PAYLOAD then return -1, nil, "payload over 65535 bytes" end
  local key = ""
  if masked then
    key = buf:read(4)
    if not key then return 0 end
  end
  local payload = ""
  if len > 0 then
    payload = buf:read(len)
    if not payload then return 0 end
    if masked then payload = unmask(payload, key) end
  end
  local typ = OPCODES[opcode]
  if typ == "close" and #payload >= 2 then
    payload = tostring(string.byte(payload, 1) << 8 | string.byte(payload, 2)) .. "," .. string.sub(payload, 3)
  end
  return buf:position(), { data = payload, type = typ, finish = fin }
end

function M.input(buf, a, b, c)
  local conn, uri, on_handshake, classic
  if is_conn(a) then
    conn, uri, on_handshake, classic = a, b, c, true
  else
    conn = mix.socket.tcp()
    if type(a) == "function" then on_handshake = a else uri, on_handshake = a, b end
    classic = false
  end
  if not conn:context_value("__handshake") then return handshake(buf, conn, uri, on_handshake, classic) end
  local pos, frame, err = read_frame(buf)
  if err then mix.log(mix.DEBUG, "websocket frame refused: " .. err) end
  if frame then conn:set_context_value("__last_frame", frame) end
  return pos
end

function M.decode(a)
  local conn = is_conn(a) and a or mix.socket.tcp()
  local frame = conn:context_value("__last_frame")
  if frame ~= nil and frame.type == "close" then conn:close() end
  return frame
end

local function build_frame(opcode, payload)
  local len = #payload
  local head
  if len <= 125 then
    head = string.char(0x80 | opcode, len)
  elseif len <= 65535 then
    head = string.char(0x80 | opcode, 126, len >> 8 & 0xff, len & 0xff)
  else
    head = string.char(0x80 | opcode, 127, 0, 0, 0, 0, len >> 24 & 0x7f, len >> 16 & 0xff, len >> 8 & 0xff, len & 0xff)
  end
  return head .. payload
end

function M.encode(str)
  return build_frame(1, tostring(str))
end

local function sender(opcode)
  return function(a, b)
    local conn, data = a, b
    if not is_conn(a) then conn, data = mix.socket.tcp(), a end
    data = data == nil and "" or tostring(data)
    if #data > MAX_PAYLOAD then return nil, "payload too big" end
    local err = conn:send(build_frame(opcode, data))
    if err then return nil, err end
    return true, nil
  end
end
M.send_text = sender(1)
M.send_binary = sender(2)

return M
`;

/** A stand-in for the `prettyprint` library the connmix examples `require` (only its `print` matters). */
export const PRETTYPRINT_MODULE = String.raw`
local function render(value, indent, seen)
  if type(value) ~= "table" then return type(value) == "string" and string.format("%q", value) or tostring(value) end
  if seen[value] then return "<cycle>" end
  seen[value] = true
  local lines = {}
  for k, v in pairs(value) do
    lines[#lines + 1] = indent .. "  [" .. render(k, "", seen) .. "] = " .. render(v, indent .. "  ", seen)
  end
  seen[value] = nil
  return "{\n" .. table.concat(lines, ",\n") .. "\n" .. indent .. "}"
end
local plain = print
print = function(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[#parts + 1] = render((select(i, ...)), "", {}) end
  plain(table.concat(parts, "\t"))
end
return render
`;
