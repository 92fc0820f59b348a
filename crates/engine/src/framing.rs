//! Stream headers and footers: what `cpaDcGenerateHeader` / `cpaDcGenerateFooter`
//! produce around the raw output of compression requests, and parsers for what
//! arrives in front of decompression requests.
//!
//! - gzip (RFC 1952): a 10-byte header (`1f 8b 08 00`, MTIME 0, XFL, OS) and an
//!   8-byte footer (CRC32 LE, ISIZE LE). OS is 3 (Unix), as qatlib writes it;
//!   XFL is 4 ("fastest") for level 1 and 2 ("maximum compression") otherwise,
//!   also as qatlib does.
//! - zlib (RFC 1950): a 2-byte header (CM 8, CINFO 7 = 32 KiB window, FLEVEL
//!   from the level as qatlib maps it: 1 → 0, 2 → 1, 3 → 2, other → 3, FCHECK
//!   making it a multiple of 31) and a 4-byte footer (Adler-32 big-endian).
//! - LZ4 frame (v1.6): magic, FLG, BD, optional content size and dictionary ID,
//!   header checksum; footer = end mark + optional content checksum. qatlib's
//!   header is [`Lz4FrameOptions::qat`].
//!
//! Parsers return the header length (and what the header says) or a
//! [`FramingError`] that says what is wrong with the bytes.

use crate::checksum::{crc32, xxhash32};
use crate::lz4::{BlockFormat, BlockMaxSize, FRAME_MAGIC};

/// Length of the gzip header [`gzip_header`] writes.
pub const GZIP_HEADER_LEN: usize = 10;
/// Length of a gzip footer.
pub const GZIP_FOOTER_LEN: usize = 8;
/// Length of a zlib header.
pub const ZLIB_HEADER_LEN: usize = 2;
/// Length of a zlib footer.
pub const ZLIB_FOOTER_LEN: usize = 4;
/// Longest LZ4 frame header: magic, FLG, BD, content size, dictionary ID, HC.
pub const LZ4_MAX_HEADER_LEN: usize = 4 + 2 + 8 + 4 + 1;

/// gzip FLG bits (RFC 1952 §2.3.1).
const FTEXT: u8 = 1;
const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;
const FRESERVED: u8 = 0xe0;

/// What is wrong with a header or footer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FramingError {
    /// The bytes end before the header (or footer) does.
    #[error("truncated {format}: need at least {need} bytes, have {have}")]
    Truncated {
        /// "gzip header", "zlib footer", ...
        format: &'static str,
        /// Bytes needed so far.
        need: usize,
        /// Bytes available.
        have: usize,
    },
    /// The bytes are not a valid header of this format.
    #[error("{format}: {detail}")]
    Invalid {
        /// "not a gzip stream", "bad zlib header", ...
        format: &'static str,
        /// What was found and what was expected.
        detail: String,
    },
    /// A valid header asking for something softqat does not do.
    #[error("{format}: {detail} is not supported")]
    Unsupported {
        /// Format name.
        format: &'static str,
        /// The feature.
        detail: &'static str,
    },
}

fn need(format: &'static str, src: &[u8], n: usize) -> Result<(), FramingError> {
    if src.len() < n {
        Err(FramingError::Truncated {
            format,
            need: n,
            have: src.len(),
        })
    } else {
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------
// gzip
// ---------------------------------------------------------------------------

/// The gzip header softqat generates for compression `level` (1..=12).
pub fn gzip_header(level: u8) -> [u8; GZIP_HEADER_LEN] {
    let xfl = if level == 1 { 4 } else { 2 };
    [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3]
}

/// The gzip footer: CRC32 of the uncompressed data, then its length mod 2^32.
pub fn gzip_footer(crc: u32, total_len: u64) -> [u8; GZIP_FOOTER_LEN] {
    let mut f = [0u8; GZIP_FOOTER_LEN];
    f[..4].copy_from_slice(&crc.to_le_bytes());
    f[4..].copy_from_slice(&(total_len as u32).to_le_bytes());
    f
}

/// What a gzip member header says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GzipHeader {
    /// Header length: the deflate data starts here.
    pub len: usize,
    /// FLG byte.
    pub flags: u8,
    /// Modification time (0: none).
    pub mtime: u32,
    /// Extra flags.
    pub xfl: u8,
    /// Operating system.
    pub os: u8,
    /// Where the FEXTRA field's data lies in the input, if present.
    pub extra: Option<std::ops::Range<usize>>,
    /// Where the original file name lies (without its terminating zero).
    pub name: Option<std::ops::Range<usize>>,
    /// Where the comment lies (without its terminating zero).
    pub comment: Option<std::ops::Range<usize>>,
}

impl GzipHeader {
    /// FTEXT: the data is probably text.
    pub fn is_text(&self) -> bool {
        self.flags & FTEXT != 0
    }
}

/// Parses a gzip member header (any valid one: FTEXT, FHCRC, FEXTRA, FNAME,
/// FCOMMENT). The header CRC16, when present, is verified.
pub fn parse_gzip_header(src: &[u8]) -> Result<GzipHeader, FramingError> {
    const F: &str = "gzip header";
    need(F, src, 10)?;
    if src[..2] != [0x1f, 0x8b] {
        return Err(FramingError::Invalid {
            format: "not a gzip stream",
            detail: format!("magic bytes are {}, expected 1f 8b", hex(&src[..2])),
        });
    }
    if src[2] != 8 {
        return Err(FramingError::Invalid {
            format: "bad gzip header",
            detail: format!(
                "compression method (CM) is {}, expected 8 (deflate)",
                src[2]
            ),
        });
    }
    let flags = src[3];
    if flags & FRESERVED != 0 {
        return Err(FramingError::Invalid {
            format: "bad gzip header",
            detail: format!("reserved FLG bits are set (FLG = {flags:#04x})"),
        });
    }
    let mut pos = 10;
    let mut extra = None;
    if flags & FEXTRA != 0 {
        need(F, src, pos + 2)?;
        let xlen = u16::from_le_bytes([src[pos], src[pos + 1]]) as usize;
        pos += 2;
        need(F, src, pos + xlen)?;
        extra = Some(pos..pos + xlen);
        pos += xlen;
    }
    let zero_terminated = |pos: &mut usize| -> Result<std::ops::Range<usize>, FramingError> {
        match src[*pos..].iter().position(|&b| b == 0) {
            Some(n) => {
                let r = *pos..*pos + n;
                *pos += n + 1;
                Ok(r)
            }
            None => Err(FramingError::Truncated {
                format: F,
                need: src.len() + 1,
                have: src.len(),
            }),
        }
    };
    let name = if flags & FNAME != 0 {
        Some(zero_terminated(&mut pos)?)
    } else {
        None
    };
    let comment = if flags & FCOMMENT != 0 {
        Some(zero_terminated(&mut pos)?)
    } else {
        None
    };
    if flags & FHCRC != 0 {
        need(F, src, pos + 2)?;
        let stored = u16::from_le_bytes([src[pos], src[pos + 1]]);
        let computed = crc32(0, &src[..pos]) as u16;
        if stored != computed {
            return Err(FramingError::Invalid {
                format: "bad gzip header",
                detail: format!("header CRC16 is {stored:#06x}, computed {computed:#06x}"),
            });
        }
        pos += 2;
    }
    Ok(GzipHeader {
        len: pos,
        flags,
        mtime: u32::from_le_bytes([src[4], src[5], src[6], src[7]]),
        xfl: src[8],
        os: src[9],
        extra,
        name,
        comment,
    })
}

/// Reads a gzip footer: (CRC32, ISIZE).
pub fn parse_gzip_footer(src: &[u8]) -> Result<(u32, u32), FramingError> {
    need("gzip footer", src, GZIP_FOOTER_LEN)?;
    Ok((
        u32::from_le_bytes([src[0], src[1], src[2], src[3]]),
        u32::from_le_bytes([src[4], src[5], src[6], src[7]]),
    ))
}

// ---------------------------------------------------------------------------
// zlib
// ---------------------------------------------------------------------------

/// FLEVEL for a QAT compression level (qatlib's mapping).
fn zlib_flevel(level: u8) -> u16 {
    match level {
        1 => 0,
        2 => 1,
        3 => 2,
        _ => 3,
    }
}

/// The zlib header for compression `level`: `78 01`, `78 5e`, `78 9c` or `78 da`.
pub fn zlib_header(level: u8) -> [u8; ZLIB_HEADER_LEN] {
    // CMF: CM = 8 (deflate), CINFO = 7 (32 KiB window).
    let cmf_flg: u16 = 0x78 << 8 | zlib_flevel(level) << 6;
    let fcheck = (31 - cmf_flg % 31) % 31;
    (cmf_flg | fcheck).to_be_bytes()
}

/// Length of a zlib header with a preset dictionary (FDICT and DICTID).
pub const ZLIB_DICT_HEADER_LEN: usize = ZLIB_HEADER_LEN + 4;

/// The zlib header for compression `level` with a preset dictionary: FDICT
/// set and DICTID, the Adler-32 of the dictionary, big-endian (RFC 1950).
pub fn zlib_header_with_dict(level: u8, dict: &[u8]) -> [u8; ZLIB_DICT_HEADER_LEN] {
    let cmf_flg: u16 = 0x78 << 8 | zlib_flevel(level) << 6 | 0x20;
    let fcheck = (31 - cmf_flg % 31) % 31;
    let [a, b] = (cmf_flg | fcheck).to_be_bytes();
    let [c, d, e, f] = crate::checksum::adler32(1, dict).to_be_bytes();
    [a, b, c, d, e, f]
}

/// Parses a zlib header that may name a preset dictionary: the header, the
/// DICTID when FDICT is set, and the header's length (2, or 6 with DICTID).
pub fn parse_zlib_header_dict(
    src: &[u8],
) -> Result<(ZlibHeader, Option<u32>, usize), FramingError> {
    need("zlib header", src, ZLIB_HEADER_LEN)?;
    if src[1] & 0x20 == 0 {
        return parse_zlib_header(src).map(|h| (h, None, ZLIB_HEADER_LEN));
    }
    need("zlib header with DICTID", src, ZLIB_DICT_HEADER_LEN)?;
    let word = u16::from_be_bytes([src[0], src[1]]);
    if !word.is_multiple_of(31) {
        return Err(FramingError::Invalid {
            format: "bad zlib header",
            detail: format!(
                "FCHECK fails: {word:#06x} is not a multiple of 31 (header {})",
                hex(&src[..2])
            ),
        });
    }
    // The other fields are checked as without FDICT (FCHECK recomputed).
    let base = word & !0x3f;
    let plain = (base | ((31 - base % 31) % 31)).to_be_bytes();
    let header = parse_zlib_header(&plain)?;
    let id = u32::from_be_bytes([src[2], src[3], src[4], src[5]]);
    Ok((header, Some(id), ZLIB_DICT_HEADER_LEN))
}

/// Checks a zlib DICTID against the dictionary offered for the stream: a
/// mismatch is `InvalidDictBuff` (zlib's inflate says "need dictionary" and
/// refuses a dictionary whose Adler-32 differs).
pub fn check_zlib_dict_id(dict_id: u32, dict: &[u8]) -> Result<(), crate::DcStatus> {
    if crate::checksum::adler32(1, dict) == dict_id {
        Ok(())
    } else {
        Err(crate::DcStatus::InvalidDictBuff)
    }
}

/// The zlib footer: Adler-32 of the uncompressed data, big-endian.
pub fn zlib_footer(adler: u32) -> [u8; ZLIB_FOOTER_LEN] {
    adler.to_be_bytes()
}

/// What a zlib header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZlibHeader {
    /// LZ77 window size, 2^(CINFO + 8) bytes.
    pub window_size: usize,
    /// FLEVEL (0 fastest … 3 maximum compression).
    pub level: u8,
}

/// Parses a 2-byte zlib header. Rejects CM ≠ 8, CINFO > 7, a bad FCHECK and a
/// preset dictionary (FDICT, which a stateless request cannot supply).
pub fn parse_zlib_header(src: &[u8]) -> Result<ZlibHeader, FramingError> {
    need("zlib header", src, ZLIB_HEADER_LEN)?;
    let (cmf, flg) = (src[0], src[1]);
    let bad = |detail: String| FramingError::Invalid {
        format: "bad zlib header",
        detail,
    };
    if cmf & 15 != 8 {
        return Err(bad(format!(
            "compression method (CM) is {}, expected 8 (deflate) (header {})",
            cmf & 15,
            hex(&src[..2])
        )));
    }
    if cmf >> 4 > 7 {
        return Err(bad(format!(
            "window size field CINFO is {}, at most 7 (32 KiB) is allowed",
            cmf >> 4
        )));
    }
    let word = u16::from_be_bytes([cmf, flg]);
    if word % 31 != 0 {
        return Err(bad(format!(
            "FCHECK fails: {word:#06x} is not a multiple of 31 (header {})",
            hex(&src[..2])
        )));
    }
    if flg & 0x20 != 0 {
        return Err(FramingError::Unsupported {
            format: "zlib header",
            detail: "a preset dictionary (FDICT)",
        });
    }
    Ok(ZlibHeader {
        window_size: 1 << ((cmf >> 4) + 8),
        level: flg >> 6,
    })
}

/// Reads a zlib footer: the Adler-32.
pub fn parse_zlib_footer(src: &[u8]) -> Result<u32, FramingError> {
    need("zlib footer", src, ZLIB_FOOTER_LEN)?;
    Ok(u32::from_be_bytes([src[0], src[1], src[2], src[3]]))
}

// ---------------------------------------------------------------------------
// LZ4 frame
// ---------------------------------------------------------------------------

/// What an LZ4 frame header says (its FLG and BD bytes and optional fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lz4FrameOptions {
    /// Block maximum size, block checksums, block independence.
    pub blocks: BlockFormat,
    /// A content checksum (xxHash32 of all content) follows the end mark.
    pub content_checksum: bool,
    /// Uncompressed content size, if announced.
    pub content_size: Option<u64>,
    /// Dictionary ID, if any.
    pub dict_id: Option<u32>,
}

impl Lz4FrameOptions {
    /// The header qatlib generates: content checksum on, no block checksum
    /// flag, no content size, no dictionary.
    pub fn qat(max_size: BlockMaxSize, independent: bool) -> Self {
        Lz4FrameOptions {
            blocks: BlockFormat {
                max_size,
                checksum: false,
                independent,
            },
            content_checksum: true,
            content_size: None,
            dict_id: None,
        }
    }

    /// Length of the header these options produce (7 to 19 bytes).
    pub fn header_len(&self) -> usize {
        7 + if self.content_size.is_some() { 8 } else { 0 }
            + if self.dict_id.is_some() { 4 } else { 0 }
    }

    /// Length of the footer: end mark, plus the content checksum if enabled.
    pub fn footer_len(&self) -> usize {
        4 + if self.content_checksum { 4 } else { 0 }
    }
}

const LZ4_FLG_VERSION: u8 = 0b01 << 6;
const LZ4_FLG_INDEPENDENT: u8 = 1 << 5;
const LZ4_FLG_BLOCK_CHECKSUM: u8 = 1 << 4;
const LZ4_FLG_CONTENT_SIZE: u8 = 1 << 3;
const LZ4_FLG_CONTENT_CHECKSUM: u8 = 1 << 2;
const LZ4_FLG_RESERVED: u8 = 1 << 1;
const LZ4_FLG_DICT_ID: u8 = 1;

/// Header checksum: the second byte of xxHash32 (seed 0) of the descriptor
/// (FLG through the dictionary ID).
fn lz4_header_checksum(descriptor: &[u8]) -> u8 {
    (xxhash32(0, descriptor) >> 8) as u8
}

/// Writes the LZ4 frame header for `opts` at the start of `dst`; returns its
/// length ([`Lz4FrameOptions::header_len`]).
pub fn write_lz4_frame_header(
    opts: &Lz4FrameOptions,
    dst: &mut [u8],
) -> Result<usize, FramingError> {
    let len = opts.header_len();
    need("LZ4 frame header destination", dst, len)?;
    let mut flg = LZ4_FLG_VERSION;
    if opts.blocks.independent {
        flg |= LZ4_FLG_INDEPENDENT;
    }
    if opts.blocks.checksum {
        flg |= LZ4_FLG_BLOCK_CHECKSUM;
    }
    if opts.content_size.is_some() {
        flg |= LZ4_FLG_CONTENT_SIZE;
    }
    if opts.content_checksum {
        flg |= LZ4_FLG_CONTENT_CHECKSUM;
    }
    if opts.dict_id.is_some() {
        flg |= LZ4_FLG_DICT_ID;
    }
    dst[..4].copy_from_slice(&FRAME_MAGIC.to_le_bytes());
    dst[4] = flg;
    dst[5] = opts.blocks.max_size.code() << 4;
    let mut pos = 6;
    if let Some(size) = opts.content_size {
        dst[pos..pos + 8].copy_from_slice(&size.to_le_bytes());
        pos += 8;
    }
    if let Some(id) = opts.dict_id {
        dst[pos..pos + 4].copy_from_slice(&id.to_le_bytes());
        pos += 4;
    }
    dst[pos] = lz4_header_checksum(&dst[4..pos]);
    Ok(pos + 1)
}

/// Writes the frame's end: the end mark and, if `opts.content_checksum`,
/// `content_checksum` (xxHash32 of the whole content). Returns its length.
pub fn write_lz4_frame_footer(
    opts: &Lz4FrameOptions,
    content_checksum: u32,
    dst: &mut [u8],
) -> Result<usize, FramingError> {
    let len = opts.footer_len();
    need("LZ4 frame footer destination", dst, len)?;
    dst[..4].fill(0);
    if opts.content_checksum {
        dst[4..8].copy_from_slice(&content_checksum.to_le_bytes());
    }
    Ok(len)
}

/// Parses an LZ4 frame header; returns what it says and its length.
pub fn parse_lz4_frame_header(src: &[u8]) -> Result<(Lz4FrameOptions, usize), FramingError> {
    const F: &str = "LZ4 frame header";
    need(F, src, 7)?;
    if src[..4] != FRAME_MAGIC.to_le_bytes() {
        return Err(FramingError::Invalid {
            format: "not an LZ4 frame",
            detail: format!(
                "magic bytes are {}, expected {}",
                hex(&src[..4]),
                hex(&FRAME_MAGIC.to_le_bytes())
            ),
        });
    }
    let bad = |detail: String| FramingError::Invalid {
        format: "bad LZ4 frame header",
        detail,
    };
    let (flg, bd) = (src[4], src[5]);
    if flg >> 6 != 1 {
        return Err(bad(format!(
            "version is {}, expected 1 (FLG = {flg:#04x})",
            flg >> 6
        )));
    }
    if flg & LZ4_FLG_RESERVED != 0 || bd & 0x8f != 0 {
        return Err(bad(format!(
            "reserved bits are set (FLG = {flg:#04x}, BD = {bd:#04x})"
        )));
    }
    let max_size = BlockMaxSize::from_code(bd >> 4).ok_or_else(|| {
        bad(format!(
            "block maximum size code is {}, expected 4..7",
            bd >> 4
        ))
    })?;
    let mut pos = 6;
    let content_size = if flg & LZ4_FLG_CONTENT_SIZE != 0 {
        need(F, src, pos + 8 + 1)?;
        let mut b = [0u8; 8];
        b.copy_from_slice(&src[pos..pos + 8]);
        pos += 8;
        Some(u64::from_le_bytes(b))
    } else {
        None
    };
    let dict_id = if flg & LZ4_FLG_DICT_ID != 0 {
        need(F, src, pos + 4 + 1)?;
        let id = u32::from_le_bytes([src[pos], src[pos + 1], src[pos + 2], src[pos + 3]]);
        pos += 4;
        Some(id)
    } else {
        None
    };
    let computed = lz4_header_checksum(&src[4..pos]);
    if src[pos] != computed {
        return Err(bad(format!(
            "header checksum is {:#04x}, computed {computed:#04x}",
            src[pos]
        )));
    }
    Ok((
        Lz4FrameOptions {
            blocks: BlockFormat {
                max_size,
                checksum: flg & LZ4_FLG_BLOCK_CHECKSUM != 0,
                independent: flg & LZ4_FLG_INDEPENDENT != 0,
            },
            content_checksum: flg & LZ4_FLG_CONTENT_CHECKSUM != 0,
            content_size,
            dict_id,
        },
        pos + 1,
    ))
}

/// QATzip's gzip extension (its `QZ_DEFLATE_GZIP_EXT` format): every chunk
/// of the input is a gzip member of its own whose header carries, in a FEXTRA
/// subfield `QZ` of 8 bytes, the chunk's uncompressed size and its deflate
/// data's size (u32 each, little-endian). Any gzip reader decodes such a file
/// as multi-member gzip; a reader that knows the subfield finds every member
/// without decoding the ones before it, and so decodes them in parallel.
/// The header: ID1 ID2 CM=8, FLG=FEXTRA, MTIME=0, XFL=0, OS=255, XLEN=12,
/// then `Q` `Z`, LEN=8, the two sizes.
pub const QZ_GZIP_EXT_HEADER_LEN: usize = 24;

/// The header of one QATzip gzip-extension member.
pub fn qz_gzip_ext_header(uncompressed: u32, deflate_len: u32) -> [u8; QZ_GZIP_EXT_HEADER_LEN] {
    let mut h = [0u8; QZ_GZIP_EXT_HEADER_LEN];
    h[..10].copy_from_slice(&[0x1f, 0x8b, 8, FEXTRA, 0, 0, 0, 0, 0, 255]);
    h[10..12].copy_from_slice(&12u16.to_le_bytes());
    h[12..14].copy_from_slice(b"QZ");
    h[14..16].copy_from_slice(&8u16.to_le_bytes());
    h[16..20].copy_from_slice(&uncompressed.to_le_bytes());
    h[20..24].copy_from_slice(&deflate_len.to_le_bytes());
    h
}

/// The sizes a QATzip gzip-extension member header at the start of `src`
/// records — (uncompressed, deflate data) — or `None` when `src` does not
/// start with exactly such a header (any other gzip header included).
pub fn parse_qz_gzip_ext_header(src: &[u8]) -> Option<(u32, u32)> {
    let h = src.get(..QZ_GZIP_EXT_HEADER_LEN)?;
    let fixed = [0x1f, 0x8b, 8, FEXTRA];
    let shape = h[..4] == fixed
        && h[8] == 0
        && h[9] == 255
        && h[10..12] == 12u16.to_le_bytes()
        && &h[12..14] == b"QZ"
        && h[14..16] == 8u16.to_le_bytes();
    if !shape {
        return None;
    }
    let word = |at: usize| u32::from_le_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]]);
    Some((word(16), word(20)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn qz_gzip_ext_headers_round_trip_and_are_gzip_headers() {
        let h = super::qz_gzip_ext_header(65_536, 21_000);
        assert_eq!(super::parse_qz_gzip_ext_header(&h), Some((65_536, 21_000)));
        // An ordinary gzip header reads the extension as an extra field.
        let g = super::parse_gzip_header(&h).expect("a gzip header");
        assert_eq!(g.len, super::QZ_GZIP_EXT_HEADER_LEN);
        assert_eq!(g.extra, Some(12..24));
        // Anything else is not one.
        assert_eq!(
            super::parse_qz_gzip_ext_header(&super::gzip_header(1)),
            None
        );
        for at in [0, 1, 2, 3, 9, 10, 12, 13, 14] {
            let mut bad = h;
            bad[at] ^= 1;
            assert_eq!(super::parse_qz_gzip_ext_header(&bad), None, "byte {at}");
        }
        assert_eq!(super::parse_qz_gzip_ext_header(&h[..23]), None);
    }

    use super::*;

    #[test]
    fn gzip_header_round_trip() {
        let h = gzip_header(1);
        assert_eq!(h, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 3]);
        assert_eq!(gzip_header(6)[8], 2);
        let p = parse_gzip_header(&h).unwrap();
        assert_eq!((p.len, p.os, p.xfl, p.mtime), (10, 3, 4, 0));
    }

    #[test]
    fn gzip_header_errors_say_what_is_wrong() {
        let e = parse_gzip_header(b"PK\x03\x04zzzzzzzz").unwrap_err();
        assert_eq!(
            e.to_string(),
            "not a gzip stream: magic bytes are 50 4b, expected 1f 8b"
        );
        let e = parse_gzip_header(&[0x1f, 0x8b, 8]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "truncated gzip header: need at least 10 bytes, have 3"
        );
        let e = parse_gzip_header(&[0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 3]).unwrap_err();
        assert!(
            e.to_string().contains("compression method (CM) is 7"),
            "{e}"
        );
        let e = parse_gzip_header(&[0x1f, 0x8b, 8, 0x20, 0, 0, 0, 0, 0, 3]).unwrap_err();
        assert!(e.to_string().contains("reserved FLG bits"), "{e}");
        // FNAME without its terminating zero.
        let e = parse_gzip_header(&[0x1f, 0x8b, 8, FNAME, 0, 0, 0, 0, 0, 3, b'a']).unwrap_err();
        assert!(matches!(e, FramingError::Truncated { .. }), "{e}");
    }

    #[test]
    fn gzip_header_with_every_field() {
        let mut h = vec![0x1f, 0x8b, 8, FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT];
        h.extend_from_slice(&0x5f5e_0ff0u32.to_le_bytes());
        h.extend_from_slice(&[0, 255]);
        h.extend_from_slice(&[3, 0, b'A', b'B', b'C']); // XLEN = 3
        h.extend_from_slice(b"file.txt\0");
        h.extend_from_slice(b"a comment\0");
        let crc = crc32(0, &h) as u16;
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(b"deflate data");
        let p = parse_gzip_header(&h).unwrap();
        assert_eq!(p.len, h.len() - b"deflate data".len());
        assert_eq!(&h[p.extra.clone().unwrap()], b"ABC");
        assert_eq!(&h[p.name.clone().unwrap()], b"file.txt");
        assert_eq!(&h[p.comment.clone().unwrap()], b"a comment");
        assert!(p.is_text());
        assert_eq!(p.mtime, 0x5f5e_0ff0);
        // A wrong header CRC16 is reported.
        let at = p.len - 2;
        h[at] ^= 1;
        let e = parse_gzip_header(&h).unwrap_err();
        assert!(e.to_string().contains("header CRC16"), "{e}");
    }

    #[test]
    fn gzip_footer_layout() {
        let f = gzip_footer(0xCBF4_3926, 9);
        assert_eq!(f, [0x26, 0x39, 0xf4, 0xcb, 9, 0, 0, 0]);
        assert_eq!(parse_gzip_footer(&f).unwrap(), (0xCBF4_3926, 9));
        // ISIZE is the length modulo 2^32.
        assert_eq!(
            parse_gzip_footer(&gzip_footer(0, (1 << 32) + 5)).unwrap().1,
            5
        );
    }

    #[test]
    fn zlib_headers_are_the_usual_ones() {
        assert_eq!(zlib_header(1), [0x78, 0x01]);
        assert_eq!(zlib_header(2), [0x78, 0x5e]);
        assert_eq!(zlib_header(3), [0x78, 0x9c]);
        assert_eq!(zlib_header(9), [0x78, 0xda]);
        for level in 1..=12 {
            let h = zlib_header(level);
            assert_eq!(u16::from_be_bytes(h) % 31, 0);
            let p = parse_zlib_header(&h).unwrap();
            assert_eq!(p.window_size, 32 * 1024);
            assert_eq!(p.level as u16, zlib_flevel(level));
        }
        assert_eq!(zlib_footer(0x091E_01DE), [0x09, 0x1e, 0x01, 0xde]);
        assert_eq!(
            parse_zlib_footer(&[0x09, 0x1e, 0x01, 0xde]).unwrap(),
            0x091E_01DE
        );
    }

    #[test]
    fn zlib_header_errors() {
        let e = parse_zlib_header(&[0x79, 0x9c]).unwrap_err();
        assert!(
            e.to_string().contains("compression method (CM) is 9"),
            "{e}"
        );
        let e = parse_zlib_header(&[0x88, 0x98]).unwrap_err();
        assert!(e.to_string().contains("CINFO is 8"), "{e}");
        let e = parse_zlib_header(&[0x78, 0x9d]).unwrap_err();
        assert!(e.to_string().contains("FCHECK"), "{e}");
        // 78 bb: FDICT set, FCHECK valid.
        assert_eq!(u16::from_be_bytes([0x78, 0xbb]) % 31, 0);
        let e = parse_zlib_header(&[0x78, 0xbb]).unwrap_err();
        assert!(matches!(e, FramingError::Unsupported { .. }), "{e}");
        assert!(e.to_string().contains("FDICT"), "{e}");
        assert!(matches!(
            parse_zlib_header(&[0x78]),
            Err(FramingError::Truncated { .. })
        ));
    }

    #[test]
    fn lz4_header_round_trip() {
        for opts in [
            Lz4FrameOptions::qat(BlockMaxSize::K64, true),
            Lz4FrameOptions {
                blocks: BlockFormat {
                    max_size: BlockMaxSize::M4,
                    checksum: true,
                    independent: false,
                },
                content_checksum: false,
                content_size: Some(123_456_789),
                dict_id: Some(7),
            },
        ] {
            let mut buf = [0u8; LZ4_MAX_HEADER_LEN];
            let n = write_lz4_frame_header(&opts, &mut buf).unwrap();
            assert_eq!(n, opts.header_len());
            assert_eq!(parse_lz4_frame_header(&buf[..n]).unwrap(), (opts, n));
            // Every truncation is reported as such.
            for cut in 0..n {
                assert!(matches!(
                    parse_lz4_frame_header(&buf[..cut]),
                    Err(FramingError::Truncated { .. })
                ));
            }
            // A flipped header checksum is caught.
            buf[n - 1] ^= 0x40;
            let e = parse_lz4_frame_header(&buf[..n]).unwrap_err();
            assert!(e.to_string().contains("header checksum"), "{e}");
        }
    }

    #[test]
    fn lz4_qat_header_bytes() {
        // qatlib: version 01, B.Indep, C.Checksum, BD = 64 KiB. The header
        // checksum byte is the one the lz4 tool writes for `lz4 -B4` (the
        // same FLG/BD): see tests/lz4_interop.rs, which checks both ways.
        let mut buf = [0u8; 7];
        write_lz4_frame_header(&Lz4FrameOptions::qat(BlockMaxSize::K64, true), &mut buf).unwrap();
        assert_eq!(buf[..6], [0x04, 0x22, 0x4d, 0x18, 0x64, 0x40]);
        assert_eq!(buf[6], (xxhash32(0, &[0x64, 0x40]) >> 8) as u8);
        let e = parse_lz4_frame_header(&[0x50, 0x2a, 0x4d, 0x18, 0, 0, 0]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "not an LZ4 frame: magic bytes are 50 2a 4d 18, expected 04 22 4d 18"
        );
        let e = parse_lz4_frame_header(&[0x04, 0x22, 0x4d, 0x18, 0x24, 0x40, 0]).unwrap_err();
        assert!(e.to_string().contains("version is 0"), "{e}");
        let e = parse_lz4_frame_header(&[0x04, 0x22, 0x4d, 0x18, 0x64, 0x30, 0]).unwrap_err();
        assert!(
            e.to_string().contains("block maximum size code is 3"),
            "{e}"
        );
    }
}
