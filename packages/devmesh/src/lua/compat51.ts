/**
 * What Lua 5.1 scripts (the engine runs gopher-lua, Lua 5.1 with `bit`) need on Lua 5.4: the
 * globals 5.2 removed, and the LuaBitOp `bit` module with its 32-bit signed results.
 */
export const LUA51_COMPAT = String.raw`
unpack = unpack or table.unpack
loadstring = loadstring or load
table.getn = table.getn or function(t) return #t end
table.maxn = table.maxn or function(t)
  local n = 0
  for k in pairs(t) do if type(k) == "number" and k > n then n = k end end
  return n
end
math.pow = math.pow or function(x, y) return x ^ y end
math.mod = math.mod or math.fmod
string.gfind = string.gfind or string.gmatch

local function tobit(x)
  x = math.tointeger(x) or math.floor(tonumber(x) or 0)
  x = x & 0xffffffff
  if x >= 0x80000000 then x = x - 0x100000000 end
  return x
end
local function fold(op)
  return function(x, ...)
    local r = tobit(x)
    for i = 1, select("#", ...) do r = tobit(op(r, tobit((select(i, ...))))) end
    return r
  end
end
local bit = {
  tobit = tobit,
  band = fold(function(a, b) return a & b end),
  bor = fold(function(a, b) return a | b end),
  bxor = fold(function(a, b) return a ~ b end),
  bnot = function(x) return tobit(~tobit(x)) end,
  lshift = function(x, n) return tobit((tobit(x) & 0xffffffff) << (tobit(n) & 31)) end,
  rshift = function(x, n) return tobit((tobit(x) & 0xffffffff) >> (tobit(n) & 31)) end,
  -- a negative x is sign-extended to 64 bits, so a logical shift brings in ones below bit 32
  arshift = function(x, n) return tobit(tobit(x) >> (tobit(n) & 31)) end,
  rol = function(x, n) n = tobit(n) & 31; x = tobit(x) & 0xffffffff; return tobit((x << n) | (x >> (32 - n))) end,
  ror = function(x, n) n = tobit(n) & 31; x = tobit(x) & 0xffffffff; return tobit((x >> n) | (x << (32 - n))) end,
  bswap = function(x)
    x = tobit(x) & 0xffffffff
    return tobit(((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >> 8) & 0xff00) | (x >> 24))
  end,
  tohex = function(x, n)
    n = n or 8
    local upper = n < 0
    if upper then n = -n end
    local s = string.format(upper and "%08X" or "%08x", tobit(x) & 0xffffffff)
    return s:sub(-n)
  end,
}
package.loaded.bit = bit
package.loaded.bit32 = package.loaded.bit32 or bit
`;
