/** The string a hook's coroutine yields to ask the host to wait for something (a ticket). */
export const AWAIT_TOKEN = '\u0000connmix.await';

/**
 * The Lua side of the engine API, run before the entry script: the `mix` table, the `conn`
 * objects and the hook dispatcher. It talks to the host only through the bridge table (plain
 * values, client ids as strings), so `conn` objects, buffers and callbacks never leave Lua.
 * Every path to a wait (`wait_context_value`, a blocking `mix.queue.push`) is a
 * `coroutine.yield` in Lua: the host resumes the hook's coroutine when the wait is over.
 */
export const MIX_PRELUDE = String.raw`
local B = __connmix_bridge
__connmix_bridge = nil
local AWAIT = "\0connmix.await"
local yield, running = coroutine.yield, coroutine.running
local ours = setmetatable({}, { __mode = "k" })
local current = setmetatable({}, { __mode = "k" })

local function await(ticket, what)
  local co = running()
  if not ours[co] then
    error(what .. " cannot wait inside a coroutine the script created", 3)
  end
  return yield(AWAIT, ticket)
end

local function id_string(id)
  if type(id) == "number" then
    local int = math.tointeger(id)
    if int then return string.format("%d", int) end
  end
  return tostring(id)
end

-- conn --------------------------------------------------------------------------------------
local Conn = {}
Conn.__index = Conn
local conns = {}
local function conn_of(cid)
  local conn = conns[cid]
  if conn == nil then
    conn = setmetatable({ __cid = cid, __buf = "" }, Conn)
    conns[cid] = conn
  end
  return conn
end
function Conn:client_id() return self.__cid end
function Conn:remote_addr() return B.remote_addr(self.__cid) end
function Conn:context() return B.context(self.__cid) end
function Conn:context_value(key) return B.context_value(self.__cid, key) end
function Conn:wait_context_value(key)
  local value = B.context_value(self.__cid, key)
  if value ~= nil then return value end
  return await(B.wait_context_value(self.__cid, key), "wait_context_value")
end
function Conn:set_context(tb) return B.set_context(self.__cid, tb) end
function Conn:set_context_value(key, value) return B.set_context_value(self.__cid, key, value) end
function Conn:subscribe(...) return B.subscribe(self.__cid, ...) end
function Conn:unsubscribe(...) return B.unsubscribe(self.__cid, ...) end
function Conn:close() self.__closed = true; return B.close(self.__cid) end
function Conn:send(data, typ) return B.send(self.__cid, data, typ) end
function Conn:clear_buffer() self.__buf = "" end

-- the protocol_input buffer: a copy of what the connection has received, read from the start --
local Buffer = {}
Buffer.__index = Buffer
function Buffer:tostring() return self.s end
function Buffer:length() return #self.s end
function Buffer:position() return self.pos end
function Buffer:read(n)
  n = math.tointeger(n) or 0
  if n < 0 or self.pos + n > #self.s then return nil, "EOF" end
  local out = string.sub(self.s, self.pos + 1, self.pos + n)
  self.pos = self.pos + n
  return out, nil
end

-- mix ---------------------------------------------------------------------------------------
mix = { DEBUG = -1, INFO = 0, WARN = 1, ERROR = 2 }
local levels = { [-1] = "debug", [0] = "info", [1] = "warn", [2] = "error" }
function mix.log(level, msg)
  B.log(levels[level] or "info", tostring(msg))
  return true
end
print = function(...)
  local parts = {}
  for i = 1, select("#", ...) do parts[#parts + 1] = tostring((select(i, ...))) end
  B.log("info", table.concat(parts, "\t"))
end

local function protect(fn)
  return function(...)
    local ok, a, b = pcall(fn, ...)
    if not ok then return nil, (string.gsub(tostring(a), "^[^:]*:%d+: ", "")) end
    return a, b
  end
end
mix.json_encode = protect(B.json_encode)
mix.json_decode = protect(B.json_decode)
mix.base64_encode = B.base64_encode
mix.base64_decode = protect(B.base64_decode)
mix.md5 = B.md5
mix.md5_bin = B.md5_bin
mix.sha1 = B.sha1
mix.sha1_bin = B.sha1_bin
mix.parse_str = protect(B.parse_str)
mix.url_parse = mix.parse_str
mix.parse_url = mix.parse_str

function mix.str_split(str, sep)
  str, sep = tostring(str), tostring(sep)
  local out = {}
  if sep == "" then
    for ch in string.gmatch(str, utf8.charpattern) do out[#out + 1] = ch end
    return out
  end
  local from = 1
  while true do
    local at, to = string.find(str, sep, from, true)
    if not at then break end
    out[#out + 1] = string.sub(str, from, at - 1)
    from = to + 1
  end
  out[#out + 1] = string.sub(str, from)
  return out
end

function mix.bytes_tostring(bytes)
  local parts = {}
  for i = 1, #bytes, 4096 do
    parts[#parts + 1] = string.char(table.unpack(bytes, i, math.min(i + 4095, #bytes)))
  end
  return table.concat(parts)
end

mix.server = { option = function(name) return B.server_option(tostring(name)) end }

local function pusher()
  local conn = current[running()]
  if conn == nil then error("mix.queue.push runs inside a hook (it pushes for that hook's connection)", 3) end
  return conn
end
mix.queue = {
  push = function(topic, data)
    local conn = pusher()
    return await(B.queue_push(conn.__cid, tostring(topic), data), "mix.queue.push")
  end,
  -- v1.0.1 scripts created their topics in init(); topics now appear on the first push
  new = function() return true end,
}
mix.mesh = {
  send = function(client_id, data, typ) return B.mesh_send(id_string(client_id), data, typ) end,
  publish = function(channel, data, typ) return B.mesh_publish(tostring(channel), data, typ) end,
}
local function current_conn(name)
  local conn = current[running()]
  if conn == nil then return nil, name .. " is only available inside a hook" end
  return conn, nil
end
function mix.websocket() return current_conn("mix.websocket()") end
mix.socket = { tcp = function() return current_conn("mix.socket.tcp()") end }

local function unavailable(name)
  return function()
    error(name .. " is not available in the connmix dev mesh (it needs the engine); see LUA.md", 2)
  end
end
local function unavailable_table(name, fields)
  local t = {}
  for _, field in ipairs(fields) do t[field] = unavailable(name .. "." .. field) end
  return setmetatable(t, { __index = function(_, key) return unavailable(name .. "." .. tostring(key)) end })
end
mix.http = unavailable_table("mix.http", { "request" })
mix.redis = unavailable_table("mix.redis", { "connection", "push", "llen", "set", "get", "incr", "decr" })
mix.php_pack = unavailable("mix.php_pack")
mix.php_unpack = unavailable("mix.php_unpack")

-- require: files are read from the host's disk, next to the entry script -------------------
local loaded_builtin = __connmix_builtin_modules
__connmix_builtin_modules = nil
local function disk_searcher(name)
  local path, tried = nil, {}
  for template in string.gmatch(package.path, "[^;]+") do
    local candidate = string.gsub(template, "%?", (string.gsub(name, "%.", "/")))
    local source = B.read_file(candidate)
    if source then
      local chunk, err = load(source, "@" .. candidate)
      if not chunk then error(err, 0) end
      return chunk, candidate
    end
    tried[#tried + 1] = "\n\tno file '" .. candidate .. "'"
  end
  return table.concat(tried)
end
local function builtin_searcher(name)
  local key = string.gsub(name, "%.", "/")
  local source = loaded_builtin[key]
  if source == nil then return "\n\tno built-in module '" .. key .. "'" end
  local chunk, err = load(source, "@[dev mesh]/" .. key .. ".lua")
  if not chunk then error(err, 0) end
  return chunk, key
end
package.searchers = { package.searchers[1], disk_searcher, builtin_searcher }
package.cpath = ""
function dofile(path)
  local source = B.read_file(path)
  if not source then error("cannot open " .. tostring(path), 2) end
  return assert(load(source, "@" .. path))()
end
function loadfile(path, mode, env)
  local source = B.read_file(path)
  if not source then return nil, "cannot open " .. tostring(path) end
  return load(source, "@" .. path, mode, env)
end

-- hooks -------------------------------------------------------------------------------------
local era = nil
local function call_hook(name, ...)
  local fn = _G[name]
  if type(fn) == "function" then return fn(...) end
end

local function feed(conn, bytes)
  local classic = era == "v1.0.2"
  conn.__buf = conn.__buf .. bytes
  while not conn.__closed and #conn.__buf > 0 do
    local buf = setmetatable({ s = conn.__buf, pos = 0 }, Buffer)
    local n
    if classic then n = protocol_input(buf, conn) else n = protocol_input(buf) end
    n = math.tointeger(tonumber(n))
    if n == nil then error("protocol_input must return an integer (0 = wait, -1 = disconnect, or the packet length)", 0) end
    if n < 0 then conn:close(); return end
    if n == 0 then return end
    local packet = string.sub(conn.__buf, 1, n)
    conn.__buf = string.sub(conn.__buf, n + 1)
    local msg
    if classic then msg = protocol_decode(packet, conn) else msg = protocol_decode(packet) end
    if msg ~= nil then
      if classic then on_message(msg, conn) else on_message(msg) end
    end
  end
end

function __connmix_set_era(value) era = value end

-- Every hook runs in a coroutine of its own, started by the host with one of these.
function __connmix_hook(kind, cid, a, b)
  local co = running()
  ours[co] = true
  local conn = conn_of(cid)
  current[co] = conn
  if era == "v1.0.3-websocket" then
    if kind == "handshake" then return call_hook("on_handshake", cid, a, b) end
    if kind == "message" then return call_hook("on_message", a) end
    if kind == "close" then conns[cid] = nil; return call_hook("on_close", cid, a) end
  elseif era == "v1.0.3-socket" then
    if kind == "connect" then return call_hook("on_connect", cid) end
    if kind == "data" then return feed(conn, a) end
    if kind == "close" then conns[cid] = nil; return call_hook("on_close", cid, a) end
  else
    if kind == "connect" then return call_hook("on_connect", conn) end
    if kind == "data" then return feed(conn, a) end
    if kind == "close" then conns[cid] = nil; conn.__closed = true; return call_hook("on_close", a, conn) end
  end
end

-- protocol_encode for a frame a worker sends (mesh.send / publish) on a socket-protocol port.
function __connmix_encode(cid, data)
  local co = running()
  ours[co] = true
  local conn = conn_of(cid)
  current[co] = conn
  local out
  if era == "v1.0.2" then out = protocol_encode(data, conn) else out = protocol_encode(data) end
  if type(out) ~= "string" or out == "" then return nil end
  return out
end

-- Which hooks the script defines, with protocol_input's parameter count (it tells the eras apart).
function __connmix_describe()
  local names = {}
  for _, name in ipairs({ "init", "on_connect", "on_handshake", "on_message", "on_close",
                          "protocol_input", "protocol_decode", "protocol_encode" }) do
    if type(_G[name]) == "function" then names[name] = debug.getinfo(_G[name], "u").nparams end
  end
  return names
end
`;
