//! Preset dictionaries: `cpaDcCompressDataWithDict`,
//! `cpaDcDecompressDataWithDict` and `cpaDcGetMetaSizeForSrcBuffWithDict`
//! (`CpaDcDictionaryData`).
//!
//! qatlib 26.08 offers them on gen6 devices only: the dictionary is the
//! history a stateless deflate request's matches may reach back into (zlib's
//! `deflateSetDictionary` / `inflateSetDictionary`; the last 32 KiB count).
//! The output is a raw deflate stream as for any stateless request: a
//! session does not frame its output (the application writes headers with
//! `cpaDcGenerateHeader`, which has no dictionary parameter), so a zlib
//! stream with FDICT/DICTID is the application's to build
//! (`softqat_engine::framing::zlib_header_with_dict`).
//!
//! The dictionary reaches the endpoint like the source: the request
//! descriptor names its DMA address and length (flat or a scatter-gather
//! list), and the endpoint checks it as it checks every buffer.
//!
//! What a request must satisfy, checked here in qatlib's order
//! (`dc_dictionary.c`, then softqat's reading of `dcCheckDictData`, whose
//! text was not available to us — see each rule):
//! 1. compression asks for compress-and-verify (qatlib: "Data compression
//!    without verification are not allowed"): UNSUPPORTED otherwise;
//! 2. the session and instance are usable (direction, instance, state);
//! 3. the class has dictionaries (`dictCompSupported`): UNSUPPORTED
//!    elsewhere, naming the class;
//! 4. a deflate, stateless session: softqat's dictionaries are deflate's
//!    (qatlib's gen6 also takes them for LZ4S and zstd): UNSUPPORTED;
//! 5. an uncompressed dictionary (`dictCap` is `DC_CAPS_UNCOMPRESSED_DICT`
//!    on gen6): `CPA_DC_COMPRESSED_DICT` is UNSUPPORTED;
//! 6. a dictionary of at least one byte: INVALID_PARAM;
//! 7. no dictionary integrity CRC (`calcDictionaryIntegCrc`): softqat does
//!    not compute it, UNSUPPORTED;
//! 8. `CPA_DC_FLUSH_FINAL` (qatlib's dictionary sample: "the only possible
//!    flush flag"): INVALID_PARAM otherwise.

use softqat_cpa::CompType;
use softqat_device::desc::{BufferDesc, DcRequestParams, RequestDesc};

use crate::dc::instance::DcInstance;
use crate::dc::{DcOpData, DcResults, DcSession, FlushFlag, SessionInner};
use crate::error::{CpaStatus, Error, Result};

/// `CpaDcDictType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum DictType {
    /// `CPA_DC_UNCOMPRESSED_DICT`: the dictionary is plain bytes.
    Uncompressed = 0,
    /// `CPA_DC_COMPRESSED_DICT`: the dictionary is itself compressed (no
    /// class softqat models takes it).
    Compressed = 1,
}

impl DictType {
    /// The type with CPA value `v`, if any.
    pub fn from_value(v: u32) -> Option<DictType> {
        match v {
            0 => Some(DictType::Uncompressed),
            1 => Some(DictType::Compressed),
            _ => None,
        }
    }
}

/// The fields of `CpaDcDictionaryData` other than the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DictSettings {
    /// `dictionaryType`.
    pub dict_type: DictType,
    /// `calcDictionaryIntegCrc`: compute the dictionary's integrity CRC64
    /// into `dictionaryIntegCrc64b` (not supported by softqat).
    pub calc_integrity_crc: bool,
    /// `dictId`: the dictionary's identifier. qatlib uses it for zstd
    /// frames; a deflate stream carries no identifier (a zlib DICTID is
    /// the application's framing), so deflate requests ignore it.
    pub dict_id: u32,
}

impl Default for DictSettings {
    /// An uncompressed dictionary, no CRC, identifier 0.
    fn default() -> DictSettings {
        DictSettings {
            dict_type: DictType::Uncompressed,
            calc_integrity_crc: false,
            dict_id: 0,
        }
    }
}

/// `CpaDcDictionaryData` of the Rust API: the dictionary's bytes and its
/// settings.
#[derive(Debug, Clone, Copy)]
pub struct DcDictionary<'a> {
    /// `pDictionaryBuff`'s bytes.
    pub data: &'a [u8],
    /// The other fields.
    pub settings: DictSettings,
}

impl<'a> DcDictionary<'a> {
    /// An uncompressed dictionary of `data`.
    pub fn new(data: &'a [u8]) -> DcDictionary<'a> {
        DcDictionary {
            data,
            settings: DictSettings::default(),
        }
    }
}

/// Names `dict` as the request's preset dictionary.
pub(crate) fn with_dict(desc: &mut RequestDesc, dict: BufferDesc) {
    let mut p: DcRequestParams = desc.params();
    p.dict = dict;
    desc.set_params(&p);
}

impl DcInstance {
    /// Whether this instance's class takes preset dictionaries: the
    /// UNSUPPORTED error of the `*WithDict` calls elsewhere, naming the
    /// class and what to do instead.
    pub fn dictionaries_offered(&self) -> Result<()> {
        let class = self.inner.class;
        if class.dc.dictionary {
            return Ok(());
        }
        Err(Error::unsupported(format!(
            "{} endpoints ({}) have no preset dictionaries: qatlib offers \
             cpaDcCompressDataWithDict and cpaDcDecompressDataWithDict on gen6 devices only; \
             use a 6xxx endpoint, or compress with zlib's deflateSetDictionary",
            class.name,
            class.generation.as_str()
        )))
    }

    /// `cpaDcGetMetaSizeForSrcBuffWithDict`: the `pPrivateMetaData` bytes a
    /// source list of `num_src` buffers used with a dictionary of
    /// `num_dict` buffers needs, given `meta_size` (the answer of
    /// `cpaDcBufferListGetMetaSize` for a number of buffers). softqat's
    /// rule: room for the descriptors of both lists, as if the dictionary's
    /// buffers were in front of the source's (qatlib's gen6 formula was not
    /// available to us; it is at least the source's own size).
    pub fn meta_size_for_src_with_dict(
        &self,
        num_dict: u32,
        num_src: u32,
        meta_size: impl Fn(u32) -> u32,
    ) -> Result<u32> {
        self.dictionaries_offered()?;
        if num_dict == 0 || num_src == 0 {
            return Err(Error::invalid(
                "numDictBuffers and numSourceBuffers must be 1 or more",
            ));
        }
        let n = num_dict
            .checked_add(num_src)
            .ok_or_else(|| Error::invalid("numDictBuffers + numSourceBuffers overflows"))?;
        Ok(meta_size(n))
    }

    /// The checks of a dictionary request (see the module documentation)
    /// on a session that passed `check_ready`; `len` is the dictionary's
    /// byte count. Counts a refused request.
    fn check_dict(
        &self,
        s: &SessionInner,
        compress: bool,
        settings: &DictSettings,
        len: u64,
        op: &DcOpData,
    ) -> Result<()> {
        let r = self.dict_rules(s, settings, len, op);
        if r.is_err() {
            self.inner.stats.of(compress).submitted(false);
        }
        r
    }

    fn dict_rules(
        &self,
        s: &SessionInner,
        settings: &DictSettings,
        len: u64,
        op: &DcOpData,
    ) -> Result<()> {
        self.dictionaries_offered()?;
        if s.setup.comp_type != CompType::Deflate {
            return Err(Error::unsupported(
                "softqat's preset dictionaries are for CPA_DC_DEFLATE sessions (qatlib's gen6 \
                 also takes them with LZ4S and zstd, which softqat does not): use a deflate \
                 session",
            ));
        }
        if s.stream.is_some() {
            return Err(Error::unsupported(
                "dictionaries are for stateless sessions: set sessState to CPA_DC_STATELESS",
            ));
        }
        if settings.dict_type == DictType::Compressed {
            return Err(Error::unsupported(
                "CPA_DC_COMPRESSED_DICT is not offered (gen6 takes uncompressed dictionaries \
                 only): pass the dictionary's plain bytes with CPA_DC_UNCOMPRESSED_DICT",
            ));
        }
        if len == 0 {
            return Err(Error::invalid(
                "the dictionary is empty: give at least one byte (the last 32 KiB are used)",
            ));
        }
        if len > u64::from(u32::MAX) {
            return Err(Error::invalid("a dictionary is limited to 4 GB"));
        }
        if settings.calc_integrity_crc {
            return Err(Error::unsupported(
                "calcDictionaryIntegCrc is not supported by softqat endpoints: set it to \
                 CPA_FALSE",
            ));
        }
        if op.flush != FlushFlag::Final {
            return Err(Error::invalid(
                "a dictionary request is a whole stream: set flushFlag to CPA_DC_FLUSH_FINAL",
            ));
        }
        Ok(())
    }

    /// qatlib's first check of `cpaDcCompressDataWithDict`, before anything
    /// else is looked at.
    fn check_dict_cnv(compress: bool, op: &DcOpData) -> Result<()> {
        if compress && !op.compress_and_verify {
            return Err(Error::unsupported(
                "compression with a dictionary needs compress-and-verify (qatlib: data \
                 compression without verification is not allowed): set compressAndVerify",
            ));
        }
        Ok(())
    }

    /// `cpaDcCompressDataWithDict` on a synchronous session: compresses
    /// `src` into `dst` (raw deflate) with `dict` as the history its
    /// matches may refer to.
    pub fn compress_with_dict(
        &self,
        session: &DcSession,
        src: &[u8],
        dst: &mut [u8],
        dict: &DcDictionary<'_>,
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.dict_call(session, true, src, dst, dict, op)
    }

    /// `cpaDcDecompressDataWithDict` on a synchronous session: decompresses
    /// the raw deflate stream `src` made with `dict` into `dst`.
    pub fn decompress_with_dict(
        &self,
        session: &DcSession,
        src: &[u8],
        dst: &mut [u8],
        dict: &DcDictionary<'_>,
        op: &DcOpData,
    ) -> Result<DcResults> {
        self.dict_call(session, false, src, dst, dict, op)
    }

    fn dict_call(
        &self,
        session: &DcSession,
        compress: bool,
        src: &[u8],
        dst: &mut [u8],
        dict: &DcDictionary<'_>,
        op: &DcOpData,
    ) -> Result<DcResults> {
        Self::check_dict_cnv(compress, op)?;
        let s = self.sync_session(session, compress)?;
        self.check_dict(s, compress, &dict.settings, dict.data.len() as u64, op)?;
        self.sync_call(session, compress, src, dst, op, dict.data)
    }

    /// `cpaDcCompressDataWithDict` / `cpaDcDecompressDataWithDict` for a
    /// foreign caller (the C ABI), synchronous: as
    /// [`call_foreign`](DcInstance::call_foreign), with the dictionary
    /// named by `dict` (`len` bytes).
    ///
    /// # Safety
    /// As for [`call_foreign`](DcInstance::call_foreign); the dictionary
    /// (and a scatter-gather table it names) is readable memory of this
    /// process, valid for the call.
    #[allow(unsafe_code, clippy::too_many_arguments)]
    pub unsafe fn call_foreign_with_dict(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        dict: BufferDesc,
        len: u64,
        settings: &DictSettings,
        op: &DcOpData,
    ) -> Result<(CpaStatus, DcResults)> {
        Self::check_dict_cnv(compress, op)?;
        let s = self.sync_session(session, compress)?;
        self.check_dict(s, compress, settings, len, op)?;
        // SAFETY: the caller's contract.
        unsafe { self.call_foreign_dict(session, compress, src, dst, op, Some(dict)) }
    }

    /// The asynchronous form of
    /// [`call_foreign_with_dict`](Self::call_foreign_with_dict): submitted
    /// now, completed through the session's callback with `tag` and
    /// `results`.
    ///
    /// # Safety
    /// As for [`submit_foreign`](DcInstance::submit_foreign); the dictionary
    /// stays valid until the completion has run.
    #[allow(unsafe_code, clippy::too_many_arguments)]
    pub unsafe fn submit_foreign_with_dict(
        &self,
        session: &DcSession,
        compress: bool,
        src: BufferDesc,
        dst: BufferDesc,
        dict: BufferDesc,
        len: u64,
        settings: &DictSettings,
        op: &DcOpData,
        tag: usize,
        results: usize,
    ) -> Result<()> {
        Self::check_dict_cnv(compress, op)?;
        let s = &session.inner;
        if let Err(e) = self.check_ready(s, compress) {
            self.inner.stats.of(compress).submitted(false);
            return Err(e);
        }
        self.check_dict(s, compress, settings, len, op)?;
        self.enqueue_foreign_with(
            session,
            compress,
            src,
            dst,
            op,
            (tag, results),
            None,
            Some(dict),
        )
    }
}
