-- Calls every mix.* function an entry script uses and pushes what they returned to "probe".
local bit = require("bit")
function on_handshake(client_id, headers, server) end
function on_close(client_id, err) end

local function failure(fn, ...)
  local ok, err = pcall(fn, ...)
  return ok and "no error" or err
end

function on_message(msg)
  local conn = mix.websocket()
  local decoded, decode_err = mix.json_decode('{"a":[1,2,{"b":null}],"n":1.5,"big":9007199254740993}')
  local bad, bad_err = mix.json_decode("{nope")
  local sha = mix.sha1_bin("abc")
  local url = mix.parse_str("ws://u@example.com:6790/chat?token=t1&room=a&room=b#top")
  local s, f = mix.mesh.publish("nobody-listens", "x")
  mix.log(mix.DEBUG, "debug line")
  mix.log(mix.INFO, "info line")
  mix.log(mix.WARN, "warn line")
  mix.log(mix.ERROR, "error line")
  print("printed", 1, true)
  local n, push_err = mix.queue.push("probe", {
    empty = mix.json_encode({}),
    array = mix.json_encode({ 1, "two", true }),
    object = mix.json_encode({ k = "v" }),
    decoded_b_is_nil = decoded["a"][3]["b"] == nil,
    decoded_n = decoded["n"],
    decode_err = decode_err,
    bad = bad == nil,
    bad_err = bad_err,
    encode_fn_err = select(2, mix.json_encode({ f = print })),
    b64 = mix.base64_encode("hello\0\255"),
    b64_back = mix.base64_decode(mix.base64_encode("hello")),
    b64_err = select(2, mix.base64_decode("!!")),
    md5 = mix.md5("abc"),
    md5_bin_len = #mix.md5_bin("abc"),
    sha1 = mix.sha1("abc"),
    sha1_bin_hex = string.format(string.rep("%02x", #sha), string.byte(sha, 1, -1)),
    split = mix.str_split("a\r\nb\r\n\r\nc", "\r\n"),
    split_colon = mix.str_split("Host: example.com: 80", ": "),
    url_host = url["host"], url_path = url["path"], url_user = url["user"], url_scheme = url["scheme"],
    url_query = url["query"], url_raw_query = url["raw_query"], url_fragment = url["fragment"],
    same_fn = mix.parse_str == mix.url_parse and mix.parse_str == mix.parse_url,
    bytes = mix.bytes_tostring({ 104, 105 }),
    option = mix.server.option("path"),
    missing_option = mix.server.option("nope") == nil,
    queue_new = mix.queue.new("old", 100),
    published = { s, f },
    send_err = mix.mesh.send("1", "x"),
    http = failure(function() local r = mix.http.request("GET", "http://x"); return r end),
    redis = failure(function() local r = mix.redis.connection("default"); return r end),
    php_pack = failure(function() local r = mix.php_pack("N", 1); return r end),
    unpack = select("#", unpack({ 1, 2, 3 })),
    getn = table.getn({ 1, 2 }),
    loadstring = loadstring("return 7")(),
    band = bit.band(0xff, 0x0f), bor = bit.bor(1, 2), bxor = bit.bxor(0xff, 0x0f),
    lshift = bit.lshift(1, 31), rshift = bit.rshift(-1, 28), arshift = bit.arshift(-16, 2),
    bnot = bit.bnot(0), tohex = bit.tohex(255),
    client_id = conn:client_id(),
    client_id_type = type(conn:client_id()),
    remote_addr = conn:remote_addr(),
    same_conn = mix.websocket() == conn,
    division = tostring(3 / 1),
  })
  conn:send(push_err or "pushed " .. tostring(n))
end
