#!/usr/bin/env python3
# Writes the regression files of the decoder fuzz campaigns (see README.md).
# Needs the system libdeflate (libdeflate0) and lz4. Usage: make.py OUTDIR
import ctypes, zlib, struct, subprocess, os, sys
OUT = sys.argv[1]
ld = ctypes.CDLL("libdeflate.so.0")
ld.libdeflate_alloc_decompressor.restype = ctypes.c_void_p
D = ld.libdeflate_alloc_decompressor()

def lenient(raw):
    out = ctypes.create_string_buffer(1 << 20)
    n = ctypes.c_size_t(0)
    r = ld.libdeflate_deflate_decompress(ctypes.c_void_p(D), raw, ctypes.c_size_t(len(raw)), out, ctypes.c_size_t(1 << 20), ctypes.byref(n))
    assert r == 0, r
    return out.raw[:n.value]

class BW:
    def __init__(s): s.out = bytearray(); s.acc = 0; s.n = 0
    def bits(s, v, k):
        s.acc |= v << s.n; s.n += k
        while s.n >= 8:
            s.out.append(s.acc & 255); s.acc >>= 8; s.n -= 8
        return s
    def code(s, c, l):
        r = int(format(c, '0%db' % l)[::-1], 2) if l else 0
        return s.bits(r, l)
    def header(s, f, t): return s.bits(int(f), 1).bits(t, 2)
    def align(s): return s.bits(0, (8 - s.n % 8) % 8)
    def finish(s): s.align(); return bytes(s.out)

def fixed_lit(w, sym):
    if sym <= 143: w.code(0x30 + sym, 8)
    elif sym <= 255: w.code(0x190 + sym - 144, 9)
    elif sym <= 279: w.code(sym - 256, 7)
    else: w.code(0xc0 + sym - 280, 8)

def canonical(lens):
    count = [0] * 16
    for l in lens: count[l] += 1
    count[0] = 0
    nxt = [0] * 16; code = 0
    for l in range(1, 16):
        code = (code + count[l - 1]) << 1; nxt[l] = code
    res = []
    for l in lens:
        res.append((nxt[l], l)); nxt[l] += 1
    return res

CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
def full_cl():
    return [4] * 13 + [5] * 6

def encode_lens(lens):
    seq = []; i = 0
    while i < len(lens):
        if lens[i] == 0:
            run = 0
            while i + run < len(lens) and lens[i + run] == 0: run += 1
            if run >= 11:
                n = min(run, 138); seq.append((18, n - 11)); i += n; continue
            if run >= 3:
                seq.append((17, run - 3)); i += run; continue
        seq.append((lens[i], 0)); i += 1
    return seq

def dynamic_block(w, final, lit, dist):
    cl = full_cl()
    ncl = 19
    while ncl > 4 and cl[CL_ORDER[ncl - 1]] == 0: ncl -= 1
    w.header(final, 2).bits(len(lit) - 257, 5).bits(len(dist) - 1, 5).bits(ncl - 4, 4)
    for sym in CL_ORDER[:ncl]: w.bits(cl[sym], 3)
    codes = canonical(cl)
    for sym, extra in encode_lens(lit + dist):
        c, l = codes[sym]; w.code(c, l)
        if sym == 16: w.bits(extra, 2)
        elif sym == 17: w.bits(extra, 3)
        elif sym == 18: w.bits(extra, 7)

bad = {}
bad["issue10-fixed-symbol-286"] = bytes.fromhex("4b4c4a4e190300")
w = BW(); w.header(True, 1); fixed_lit(w, ord('a')); fixed_lit(w, 287); w.code(0, 5); fixed_lit(w, 256)
bad["fixed-symbol-287"] = w.finish()
for sym in (30, 31):
    # 'x' and 130 matches of 258 at distance 1 (33 541 bytes), then a
    # match at distance symbol 30/31 (libdeflate: 32 769 and more).
    w = BW(); w.header(True, 1); fixed_lit(w, ord('x'))
    for _ in range(130):
        fixed_lit(w, 285); w.code(0, 5)
    fixed_lit(w, 257); w.code(sym, 5); w.bits(0, 13); fixed_lit(w, 256)
    bad["fixed-distance-%d" % sym] = w.finish()
lit = [0] * 257; lit[256] = 1
w = BW(); dynamic_block(w, True, lit, [0]); w.bits(1, 1)
bad["unused-litlen-pattern"] = w.finish()
lit = [0] * 258; lit[ord('a')] = 1; lit[256] = 2; lit[257] = 2
codes = canonical(lit)
w = BW(); dynamic_block(w, True, lit, [1]); w.code(*codes[ord('a')]); w.code(*codes[257]); w.bits(1, 1); w.code(*codes[256])
bad["unused-distance-pattern"] = w.finish()
w = BW(); dynamic_block(w, True, lit, [0]); w.code(*codes[ord('a')]); w.code(*codes[257]); w.bits(0, 1); w.code(*codes[256])
bad["distance-without-distance-codes"] = w.finish()
lit = [0] * 287; lit[ord('a')] = 1; lit[256] = 1
w = BW(); dynamic_block(w, True, lit, [0]); w.bits(0, 1); w.bits(1, 1)
bad["hlit-30"] = w.finish()
lit = [0] * 257; lit[ord('a')] = 1; lit[256] = 1
dist = [0] * 31; dist[0] = 1; dist[1] = 1
w = BW(); dynamic_block(w, True, lit, dist); w.bits(0, 1); w.bits(1, 1)
bad["hdist-30"] = w.finish()

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../../..")
text = open(os.path.join(ROOT, "corpus/calgary32"), "rb").read()[5000:8000]

def raw_deflate(data, level=6):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()

ok = {
    "empty-fixed-block": bytes.fromhex("0300"),
    "stored-abc": bytes([1, 3, 0, 0xfc, 0xff]) + b"abc",
    "text-level-6": raw_deflate(text),
    "text-level-1-with-trailing-bytes": raw_deflate(text, 1) + b"trailing",
}

def put(target, name, data):
    d = os.path.join(OUT, target); os.makedirs(d, exist_ok=True)
    open(os.path.join(d, name), "wb").write(data)

for n, b in bad.items():
    out = lenient(b)  # libdeflate accepts every one: the class of issue 10
    put("deflate", n + ".bad", b)
    gz = bytes.fromhex("1f8b08000000000000ff") + b + struct.pack("<II", zlib.crc32(out), len(out) & 0xffffffff)
    put("gzip", n + ".bad", gz)
    zl = bytes([0x78, 0x9c]) + b + struct.pack(">I", zlib.adler32(out))
    put("zlib", n + ".bad", zl)
assert open(os.path.join(OUT, "gzip/issue10-fixed-symbol-286.bad"), "rb").read().hex() == "1f8b08000000000000ff4b4c4a4e19030060987df706010000"
for n, b in ok.items():
    put("deflate", n + ".ok", b)
g = zlib.compressobj(6, zlib.DEFLATED, 31)
gz = g.compress(text) + g.flush()
put("gzip", "two-members-and-zero-padding.ok", gz + gz + bytes(9))
put("gzip", "member-then-garbage.bad", gz + b"garbage")
put("gzip", "truncated-footer.bad", gz[:-3])
put("zlib", "text.ok", zlib.compress(text, 9))
put("zlib", "preset-dictionary.bad", bytes([0x78, 0xbb]) + zlib.compress(text)[2:])

def lz4(*args, data=text):
    return subprocess.run(["lz4", "-c", *args], input=data, capture_output=True, check=True).stdout

def skip(n, p):
    return struct.pack("<II", 0x184D2A50 | n, len(p)) + p

frame = lz4("-1"); legacy = lz4("-l")
put("lz4", "frame-then-skippable.ok", frame + skip(3, b"metadata"))
put("lz4", "skippable-then-frame.ok", skip(0, b"") + frame)
put("lz4", "legacy.ok", legacy)
put("lz4", "legacy-then-frame-then-skippable.ok", legacy + frame + skip(15, b"x"))
put("lz4", "skippable-only.ok", skip(9, b"only metadata"))
put("lz4", "frame-then-garbage.bad", frame + b"garbage!")
put("lz4", "legacy-empty-block.bad", legacy + bytes(4))
put("lz4", "frame-without-end-mark.bad", frame[:-8])
put("lz4", "truncated-skippable.bad", frame + skip(1, b"12345")[:10])

# lz4block: 64 KiB linked blocks with block checksums (the campaign's format)
big = open(os.path.join(ROOT, "corpus/calgary32"), "rb").read()[:150000]
def xxh32(data, seed=0):
    P1, P2, P3, P4, P5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
    M = 0xffffffff
    rotl = lambda x, r: ((x << r) | (x >> (32 - r))) & M
    i = 0; n = len(data)
    if n >= 16:
        v = [(seed + P1 + P2) & M, (seed + P2) & M, seed, (seed - P1) & M]
        while i + 16 <= n:
            for k in range(4):
                lane = struct.unpack_from("<I", data, i + 4 * k)[0]
                v[k] = (rotl((v[k] + lane * P2) & M, 13) * P1) & M
            i += 16
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M
    else:
        h = (seed + P5) & M
    h = (h + n) & M
    while i + 4 <= n:
        h = (rotl((h + struct.unpack_from("<I", data, i)[0] * P3) & M, 17) * P4) & M; i += 4
    while i < n:
        h = (rotl((h + data[i] * P5) & M, 11) * P1) & M; i += 1
    h ^= h >> 15; h = (h * P2) & M; h ^= h >> 13; h = (h * P3) & M; h ^= h >> 16
    return h

f = lz4("-BD", "-B4", data=big)
assert f[4] & 0x10 == 0, hex(f[4])  # no block checksums yet (lz4 1.9 writes independent blocks: valid in a linked sequence too)
pos = 7; blocks = b""
while True:
    size = struct.unpack_from("<I", f, pos)[0]; pos += 4
    if size == 0:
        blocks += bytes(4); break
    data = f[pos:pos + (size & 0x7fffffff)]; pos += len(data)
    blocks += struct.pack("<I", size) + data + struct.pack("<I", xxh32(data))
assert blocks.count(b"") > 0
put("lz4block", "blocks-with-end-mark.ok", blocks)
put("lz4block", "blocks-without-end-mark.ok", blocks[:-4])
b = bytearray(blocks); b[20] ^= 1
put("lz4block", "block-checksum-mismatch.bad", bytes(b))
put("lz4block", "block-size-over-64k.bad", struct.pack("<I", 65537) + bytes(8))
