//! The compression service (`cpa_dc.h`): session setup, per-request data,
//! results and statistics here; the instance in [`instance`], the data-plane
//! API in [`dp`].
//!
//! The enums of `CpaDcSessionSetupData` and `CpaDcOpData` are declared once in
//! `softqat-cpa` and re-exported here. What softqat endpoints do with them:
//! - [`CompType`]: DEFLATE and LZ4; LZ4S (compression only) where the
//!   class has it (gen4); ZSTD is refused (UNSUPPORTED): qatlib offers it on
//!   gen6 only, and softqat's 6xxx endpoints do not implement it yet — turn
//!   LZ4S output into zstd frames with `softqat_engine::zstd`, as the QAT
//!   zstd plugin does.
//! - Preset dictionaries (`*WithDict`) on classes that have them (gen6):
//!   see [`dict`].
//! - [`HuffType`]: PRECOMP behaves as STATIC (there is no per-device
//!   precompiled table).
//! - [`AutoSelectBest`]: STATIC_DYNAMIC (deprecated) and ENABLED behave as
//!   UNCOMP_STATIC_DYNAMIC_WITH_STORED_HDRS.
//! - [`SessionState`]: STATEFUL deflate sessions on gen2 classes (see
//!   [`stream`]); gen4 is stateless only and refuses them (UNSUPPORTED).
//! - [`ChecksumType`]: XXHASH32 is for LZ4 only; XXHASH64 is refused
//!   (UNSUPPORTED).
//! - [`FlushFlag`]: NONE is treated as SYNC for stateless requests; a
//!   stateful request's flush is its own (see [`stream`]).

pub mod chain;
pub mod dict;
pub mod dp;
pub mod foreign;
pub mod instance;
pub mod integrity;
pub mod ns;
pub mod stream;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use softqat_config::DeviceClass;
use softqat_device::desc::{DcContent, DcSessionDesc};
use softqat_device::firmware::dc::{dc_params, DcParamError};
use softqat_device::Iova;
use softqat_engine::DcStatus;

use crate::dma::{BufferList, DmaBuf};
use crate::error::{CpaStatus, Error, Result};
use crate::instance::RequestCounters;

pub use softqat_cpa::{
    AsbRatio, AsbThreshold, AutoSelectBest, ChecksumType, CompType, FlushFlag, HuffType,
    IntegrityCrcSize, Lz4BlockMaxSize, MinMatch, SessionDirection, SessionState, WindowSize,
};
/// `CpaCrcData`: the CRCs of a request with integrity checking, as the
/// endpoint writes them (the C structure's layout).
pub use softqat_device::desc::DcCrcResults as CrcData;
/// `CpaCrcControlData`: the parameters of a session's integrity CRC64.
pub use softqat_engine::checksum::Crc64Params as CrcControlData;

/// `CpaDcSessionSetupData`, field for field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcSessionSetup {
    /// `compLevel`, 1..=12 (1..=9 on QAT 1.7 classes).
    pub comp_level: u8,
    /// `compType`.
    pub comp_type: CompType,
    /// `huffType`.
    pub huff_type: HuffType,
    /// `autoSelectBestHuffmanTree`.
    pub auto_select_best: AutoSelectBest,
    /// `sessDirection`.
    pub direction: SessionDirection,
    /// `sessState`.
    pub state: SessionState,
    /// `windowSize`.
    pub window_size: WindowSize,
    /// `minMatch`.
    pub min_match: MinMatch,
    /// `lz4BlockMaxSize`.
    pub lz4_block_max_size: Lz4BlockMaxSize,
    /// `lz4BlockChecksum`.
    pub lz4_block_checksum: bool,
    /// `lz4BlockIndependence` (blocks are always independent here).
    pub lz4_block_independence: bool,
    /// `checksum`.
    pub checksum: ChecksumType,
    /// `accumulateXXHash`: for stateless LZ4 sessions with
    /// [`ChecksumType::Xxhash32`], the session keeps one xxHash32 over the
    /// input of its compression requests (see [`XxhAccumulator`]); other
    /// sessions, and the no-session calls, ignore it (as qatlib does).
    pub accumulate_xxhash: bool,
}

impl Default for DcSessionSetup {
    /// Deflate level 1, dynamic Huffman, auto-select-best with stored headers,
    /// both directions, stateless, 32 KiB window, CRC32 — the settings of the
    /// QAT performance samples.
    fn default() -> Self {
        DcSessionSetup {
            comp_level: 1,
            comp_type: CompType::Deflate,
            huff_type: HuffType::FullDynamic,
            auto_select_best: AutoSelectBest::UncompStaticDynamicWithStoredHdrs,
            direction: SessionDirection::Combined,
            state: SessionState::Stateless,
            window_size: WindowSize::W32K,
            min_match: MinMatch::ThreeBytes,
            lz4_block_max_size: Lz4BlockMaxSize::K64,
            lz4_block_checksum: false,
            lz4_block_independence: true,
            checksum: ChecksumType::Crc32,
            accumulate_xxhash: false,
        }
    }
}

/// `CpaDcCompWindowSize` `n` in KiB (4K 0 … 64K 4).
fn window_kib(n: u32) -> u32 {
    4 << n
}

/// The windows of a `validWindowSizeMask…`: `a 32 KiB window` or `windows
/// of 4K to 32K`.
fn windows_of(mask: u8) -> String {
    let lo = mask.trailing_zeros().min(7);
    let hi = 7u32.saturating_sub(mask.leading_zeros());
    if mask.count_ones() == 1 {
        format!("a {} KiB window", window_kib(lo))
    } else {
        format!("windows of {}K to {}K", window_kib(lo), window_kib(hi))
    }
}

/// `CPA_DC_WINSIZE_<n>K` of the largest window of a mask.
fn largest_window(mask: u8) -> String {
    format!(
        "CPA_DC_WINSIZE_{}K",
        window_kib(7u32.saturating_sub(mask.leading_zeros()))
    )
}

impl DcSessionSetup {
    /// Checks the setup against what the endpoint's device class supports
    /// (its row's compression facts), as `cpaDcInitSession` does, and builds
    /// the descriptor settings.
    pub(crate) fn validate(&self, class: &DeviceClass) -> Result<DcSessionDesc> {
        let facts = &class.dc;
        if self.state == SessionState::Stateful {
            if facts.stateful.is_none() {
                return Err(Error::unsupported(format!(
                    "stateful sessions are not supported on {} (QAT gen4 is stateless only): \
                     use SessionState::Stateless and carry the checksum across requests",
                    class.generation.as_str()
                )));
            }
            if self.comp_type != CompType::Deflate {
                return Err(Error::unsupported(
                    "stateful sessions are for deflate only (CPA_DC_DEFLATE): use a stateless \
                     session for this compression type",
                ));
            }
        }
        let max_level = facts.max_level;
        if !(1..=max_level).contains(&self.comp_level) {
            return Err(Error::invalid(format!(
                "compLevel {} is out of range: use 1..={max_level}",
                self.comp_level
            )));
        }
        let gen = class.generation.as_str();
        match (self.comp_type, self.checksum) {
            (CompType::Lz4s, _) if !facts.lz4s_compression => {
                return Err(Error::unsupported(format!(
                    "{gen} endpoints have no CPA_DC_LZ4S (QAT offers it from gen4): use a 4xxx \
                     endpoint, or CPA_DC_LZ4 or CPA_DC_DEFLATE"
                )))
            }
            (CompType::Lz4s, _) if self.direction != SessionDirection::Compress => {
                return Err(Error::unsupported(
                    "CPA_DC_LZ4S is compression only: set sessDirection to CPA_DC_DIR_COMPRESS",
                ))
            }
            (CompType::Zstd, _) if !facts.zstd => {
                return Err(Error::unsupported(format!(
                    "CPA_DC_ZSTD sessions are a gen6 (6xxx) capability and {gen} endpoints have \
                     none: compress with CPA_DC_LZ4S and turn its output into zstd frames with \
                     softqat_engine::zstd::ZstdEncoder, as the QAT zstd plugin does"
                )))
            }
            // qatlib (dcCheckSessionData): a zstd session's checksum is
            // xxHash64, the frames' content checksum; anything else is an
            // invalid parameter.
            (CompType::Zstd, ChecksumType::Xxhash64) => {}
            (CompType::Zstd, _) => {
                return Err(Error::invalid(
                    "CPA_DC_ZSTD sessions take CPA_DC_XXHASH64 (the frames' content checksum): \
                     set checksum to CPA_DC_XXHASH64",
                ))
            }
            (_, ChecksumType::Xxhash64) => {
                return Err(Error::unsupported(
                    "CPA_DC_XXHASH64 is the checksum of CPA_DC_ZSTD sessions (6xxx) only: use \
                     CPA_DC_XXHASH32 with LZ4, or CPA_DC_CRC32 or CPA_DC_ADLER32 with deflate",
                ))
            }
            (CompType::Deflate, ChecksumType::Xxhash32) => {
                return Err(Error::invalid(
                    "deflate sessions take CRC32, Adler32, CRC32_ADLER32 or no checksum; xxHash32 is for LZ4",
                ))
            }
            (CompType::Lz4, ChecksumType::Crc32 | ChecksumType::Adler32 | ChecksumType::Crc32Adler32) => {
                return Err(Error::invalid(
                    "LZ4 sessions take CPA_DC_XXHASH32 or no checksum",
                ))
            }
            (CompType::Lz4s, ChecksumType::Crc32 | ChecksumType::Adler32 | ChecksumType::Crc32Adler32) => {
                return Err(Error::invalid(
                    "LZ4S sessions take CPA_DC_XXHASH32 or no checksum",
                ))
            }
            _ => {}
        }
        let compresses = self.direction != SessionDirection::Decompress;
        let window = 1u8 << (self.window_size as u8);
        if compresses
            && self.comp_type == CompType::Deflate
            && facts.window_mask_compression & window == 0
        {
            return Err(Error::invalid(format!(
                "{gen} deflate compression uses {}: set windowSize to {}",
                windows_of(facts.window_mask_compression),
                largest_window(facts.window_mask_compression)
            )));
        }
        if facts.window_mask_decompression & window == 0 {
            return Err(Error::invalid(format!(
                "{gen} decompression accepts {}: use {}",
                windows_of(facts.window_mask_decompression),
                largest_window(facts.window_mask_decompression)
            )));
        }
        let desc = self.session_desc();
        // The last word is the firmware's: the same decoding its engines run
        // on every content descriptor.
        dc_params(&desc, class.dc.level_mapping).map_err(|e| match e {
            DcParamError::Invalid(..) => {
                Error::invalid(format!("the session is not valid for the endpoint: {e}"))
            }
            DcParamError::Unsupported(_) => Error::unsupported(e.to_string()),
        })?;
        Ok(desc)
    }

    /// The descriptor form of the settings: CPA values, byte for byte.
    fn session_desc(&self) -> DcSessionDesc {
        DcSessionDesc {
            comp_type: self.comp_type.value(),
            huff_type: self.huff_type.value(),
            asb: self.auto_select_best.value(),
            checksum: self.checksum.value(),
            level: self.comp_level,
            min_match: self.min_match.value(),
            lz4_block_max: self.lz4_block_max_size.value(),
            lz4_flags: u8::from(self.lz4_block_checksum),
            direction: self.direction.value(),
            stateful: u8::from(self.state == SessionState::Stateful),
            ..DcSessionDesc::default()
        }
    }
}

/// `CpaDcSessionUpdateData`: what `update_session` changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcSessionUpdate {
    /// `compLevel`.
    pub comp_level: u8,
    /// `huffType`.
    pub huff_type: HuffType,
    /// `enableDmm`: not supported (UNSUPPORTED when set).
    pub enable_dmm: bool,
}

/// `CpaDcOpData` plus the checksum seed `CpaDcRqResults.checksum` carries in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcOpData {
    /// `flushFlag`.
    pub flush: FlushFlag,
    /// `compressAndVerify`.
    pub compress_and_verify: bool,
    /// `compressAndVerifyAndRecover`.
    pub compress_and_verify_and_recover: bool,
    /// The checksum of the previous request of this stream (its
    /// `DcResults::checksum`); 0 to start a stream. For Adler32, 0 means the
    /// initial value 1.
    pub checksum: u32,
    /// For CRC32_ADLER32 sessions: the previous Adler32 (0 to start).
    pub adler32: u32,
    /// `integrityCrcCheck`: compute the integrity CRCs of the request into
    /// [`DcResults::crc`] (synchronous calls).
    pub integrity: Option<IntegrityCheck>,
}

/// `CpaDcOpData`'s integrity fields, for a request with `integrityCrcCheck`.
///
/// The endpoint computes the CRCs its class offers (qatlib fills them by
/// device, whatever `integrityCrcSize` says): the 64-bit ones, with the
/// session's programmable CRC64, on QAT 2.0 classes; the 32-bit ones on
/// QAT 1.7 classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntegrityCheck {
    /// `verifyHwIntegrityCrcs`: the library computes the CRCs again over
    /// the caller's buffers and ends the request with
    /// `CPA_DC_CRC_INTEG_ERR` when they differ from the endpoint's.
    pub verify_hw_crcs: bool,
    /// `integrityCrcSize`.
    pub size: IntegrityCrcSize,
    /// Where the endpoint writes the CRCs (`pCrcData`, in the layout of
    /// [`CrcData`]): memory the owner registered, kept valid until the
    /// request completes. `None` on a synchronous call: the CRCs come back
    /// in [`DcResults::crc`].
    pub crc_data: Option<Iova>,
}

impl IntegrityCheck {
    /// Integrity CRCs returned in the results, verified in software or not.
    pub fn new(verify_hw_crcs: bool) -> IntegrityCheck {
        IntegrityCheck {
            verify_hw_crcs,
            size: IntegrityCrcSize::Crc64,
            crc_data: None,
        }
    }
}

impl DcOpData {
    /// The data `cpaDcCompressData` implies: verify and recover on, no seed.
    pub fn new(flush: FlushFlag) -> DcOpData {
        DcOpData {
            flush,
            compress_and_verify: true,
            compress_and_verify_and_recover: true,
            checksum: 0,
            adler32: 0,
            integrity: None,
        }
    }

    /// The same data continuing the checksum of `previous`.
    pub fn continuing(mut self, previous: &DcResults) -> DcOpData {
        self.checksum = previous.checksum;
        self.adler32 = previous.adler32;
        self
    }
}

/// `CpaDcRqResults`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcResults {
    /// `status`.
    pub status: DcStatus,
    /// `produced`.
    pub produced: u32,
    /// `consumed`.
    pub consumed: u32,
    /// `checksum` after this request.
    pub checksum: u32,
    /// Adler32 after this request (CRC32_ADLER32 sessions).
    pub adler32: u32,
    /// `endOfLastBlock`.
    pub end_of_last_block: bool,
    /// softqat's addition, not in `CpaDcRqResults`: decompression stopped
    /// at the end of a block that ends on a byte boundary, so the data
    /// after `consumed` starts a block for a decoder of the whole stream
    /// too. `softqat decompress` relies on it to decode a stream's pieces
    /// apart (split at sync-flush markers) and still read the stream
    /// exactly as one decoder would.
    pub aligned_end: bool,
    /// `dataUncompressed`.
    pub data_uncompressed: bool,
    /// `pCrcData` after a request with [`DcOpData::integrity`].
    pub crc: Option<CrcData>,
}

/// What an asynchronous request hands back to the session's callback, inside
/// the poll call that consumed its response. `B` is the buffer type the
/// request was made with: [`DmaBuf`], or [`BufferList`] for sessions made
/// with `init_session_async_lists`.
#[derive(Debug)]
pub struct DcCompletion<B = DmaBuf> {
    /// The tag given at submission (`pCallbackTag`).
    pub tag: u64,
    /// The callback status (`CpaStatus`).
    pub status: CpaStatus,
    /// The results.
    pub results: DcResults,
    /// The source buffer, returned.
    pub src: B,
    /// The destination buffer, returned (a `DmaBuf` with its length set to
    /// `produced`; a list as it was).
    pub dst: B,
}

/// The callback of an asynchronous session (`CpaDcCallbackFn`).
pub type DcCallback = Arc<dyn Fn(DcCompletion) + Send + Sync>;

/// The callback of an asynchronous session whose requests take buffer lists.
pub type DcListCallback = Arc<dyn Fn(DcCompletion<BufferList>) + Send + Sync>;

/// How a session's requests complete.
#[derive(Clone)]
pub(crate) enum SessionMode {
    /// No callback: calls block until the response.
    Sync,
    /// Callback run inside the poll call.
    Async(DcCallback),
    /// Callback run inside the poll call, for requests on buffer lists.
    AsyncList(DcListCallback),
    /// Data-plane session: completions go to the instance's DP callback.
    DataPlane,
    /// Requests on a foreign caller's memory (the C ABI): completions go to
    /// this callback with the caller's tag and results words.
    Foreign(foreign::ForeignCallback),
    /// A chaining session's callback (hash then compress).
    Chain(chain::DcChainCallback),
}

/// The running xxHash32 of an `accumulateXXHash` session, as qatlib defines
/// it: every successful compression request adds its consumed input and
/// reports the hash of everything so far in `checksum`; a request with
/// FLUSH_FINAL reports the stream's hash and starts a new one; a failed
/// request (an overflow, say) adds nothing and reports the hash up to the
/// request before it, keeping the state; `cpaDcResetXXHashState` restarts it.
///
/// Kept here, in the session, not in the firmware: a 32-bit seed cannot carry
/// an xxHash32 state (four lanes, a length and up to 15 buffered bytes), and
/// requests of one session run on several engines at once, so a state the
/// engines shared would need them serialised. Completions reach the session
/// in submission order, so hashing at completion over the request's own
/// source buffer keeps the order with no engine, descriptor or ring change.
pub(crate) struct XxhAccumulator {
    state: Mutex<softqat_engine::checksum::Xxh32State>,
}

impl XxhAccumulator {
    fn new() -> Self {
        XxhAccumulator {
            state: Mutex::new(softqat_engine::checksum::Xxh32State::new(0)),
        }
    }

    /// Adds a completed request: `feed` is given the state and the bytes
    /// consumed when the request succeeded; `results.checksum` becomes the
    /// running hash.
    pub(crate) fn complete(
        &self,
        status: CpaStatus,
        last: bool,
        results: &mut DcResults,
        feed: impl FnOnce(&mut softqat_engine::checksum::Xxh32State, usize),
    ) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if status == CpaStatus::Success && results.status == DcStatus::Ok {
            feed(&mut st, results.consumed as usize);
            results.checksum = st.digest();
            if last {
                *st = softqat_engine::checksum::Xxh32State::new(0);
            }
        } else {
            results.checksum = st.digest();
        }
    }

    /// `cpaDcResetXXHashState`.
    fn reset(&self) {
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) =
            softqat_engine::checksum::Xxh32State::new(0);
    }
}

pub(crate) struct SessionInner {
    pub(crate) setup: DcSessionSetup,
    pub(crate) mode: SessionMode,
    /// The running xxHash32 of an `accumulateXXHash` LZ4 session.
    pub(crate) xxh: Option<XxhAccumulator>,
    /// Instance the session belongs to (its address), to refuse mix-ups.
    pub(crate) instance: usize,
    /// A stateful session's stream bookkeeping (its context is named in
    /// the content descriptor).
    pub(crate) stream: Option<stream::StreamState>,
    /// DMA address and length of the content descriptor.
    pub(crate) content_iova: Iova,
    pub(crate) content_len: u32,
    /// The content descriptor: the session state the endpoint reads, in DMA
    /// memory. Locked only at setup and removal.
    content: Mutex<DmaBuf>,
}

impl SessionInner {
    /// A session with its content descriptor written to DMA memory.
    pub(crate) fn new(
        setup: DcSessionSetup,
        desc: DcSessionDesc,
        mode: SessionMode,
        instance: usize,
        stream: Option<stream::StreamState>,
    ) -> Result<SessionInner> {
        let stamp = crate::instance::next_stamp();
        let content = DcContent::new(desc, stamp);
        let bytes = bytemuck::bytes_of(&content);
        let buf = DmaBuf::try_new(bytes.len())?;
        let mut buf = buf;
        buf.copy_from_slice(bytes);
        let accumulates = setup.accumulate_xxhash
            && setup.comp_type == CompType::Lz4
            && setup.checksum == ChecksumType::Xxhash32
            && setup.state == SessionState::Stateless
            && !matches!(mode, SessionMode::DataPlane | SessionMode::Chain(_));
        Ok(SessionInner {
            setup,
            mode,
            xxh: accumulates.then(XxhAccumulator::new),
            instance,
            stream,
            content_iova: buf.iova(),
            content_len: bytes.len() as u32,
            content: Mutex::new(buf),
        })
    }
}

impl SessionInner {
    /// The session's integrity CRC64 parameters.
    pub(crate) fn crc_params(&self) -> CrcControlData {
        let buf = self.content.lock().unwrap_or_else(|e| e.into_inner());
        let content: DcContent = bytemuck::pod_read_unaligned(&buf[..]);
        content.crc.params()
    }

    /// `cpaDcSetCrcControlData`: the content descriptor gets the new CRC64
    /// and a new stamp, so no engine uses what it derived from the old one.
    fn set_crc(&self, params: &CrcControlData) {
        let mut buf = self.content.lock().unwrap_or_else(|e| e.into_inner());
        let content: DcContent = bytemuck::pod_read_unaligned(&buf[..]);
        let updated = DcContent::with_crc(
            content.session,
            softqat_device::desc::DcCrcDesc::from_params(params),
            crate::instance::next_stamp(),
        );
        buf.copy_from_slice(bytemuck::bytes_of(&updated));
    }
}

impl Drop for SessionInner {
    /// `cpaDcRemoveSession`: the stamp goes to 0 before the memory is
    /// freed, so nothing derived from this session is used again.
    fn drop(&mut self) {
        let buf = self.content.get_mut().unwrap_or_else(|e| e.into_inner());
        let mut content: DcContent = bytemuck::pod_read_unaligned(&buf[..]);
        content.header.stamp = 0;
        buf.copy_from_slice(bytemuck::bytes_of(&content));
    }
}

/// A compression session (`CpaDcSessionHandle`).
#[derive(Clone)]
pub struct DcSession {
    pub(crate) inner: Arc<SessionInner>,
}

impl DcSession {
    /// `cpaDcResetXXHashState`: restarts the running xxHash32 of a
    /// stateless LZ4 session with `accumulateXXHash` (even after an
    /// overflow). Call it with none of the session's requests in flight.
    pub fn reset_xxhash_state(&self) -> Result<()> {
        match &self.inner.xxh {
            Some(x) => {
                x.reset();
                Ok(())
            }
            None => Err(Error::unsupported(
                "only a stateless LZ4 session with CPA_DC_XXHASH32 and accumulateXXHash has an \
                 xxHash state to reset: set accumulateXXHash when creating the session",
            )),
        }
    }

    /// `cpaDcResetSession` for a stateful session: the next request starts
    /// a new stream (history, block state and running checksums start
    /// afresh). RETRY while the session's request is in flight; a
    /// stateless session has no stream to reset (nothing to do).
    pub fn reset(&self) -> Result<()> {
        match &self.inner.stream {
            Some(st) => st.reset(),
            None => Ok(()),
        }
    }

    /// True for a stateful session (`CPA_DC_STATEFUL`).
    pub fn is_stateful(&self) -> bool {
        self.inner.stream.is_some()
    }

    /// The parameters of the session's integrity CRC64 (CRC-64/ECMA-182
    /// until [`DcInstance::set_crc_control_data`] programs others).
    ///
    /// [`DcInstance::set_crc_control_data`]: instance::DcInstance::set_crc_control_data
    pub fn crc_control_data(&self) -> CrcControlData {
        self.inner.crc_params()
    }

    /// The setup data the session was created with.
    pub fn setup(&self) -> &DcSessionSetup {
        &self.inner.setup
    }

    /// True if requests complete through a callback.
    pub fn is_async(&self) -> bool {
        matches!(self.inner.mode, SessionMode::Async(_))
    }

    /// True for a data-plane session.
    pub fn is_data_plane(&self) -> bool {
        matches!(self.inner.mode, SessionMode::DataPlane)
    }
}

impl std::fmt::Debug for DcSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DcSession")
            .field("setup", &self.inner.setup)
            .finish()
    }
}

/// `CpaDcStats`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DcStats {
    /// numCompRequests: compression requests accepted.
    pub num_comp_requests: u64,
    /// numCompRequestsErrors: compression requests refused.
    pub num_comp_requests_errors: u64,
    /// numCompCompleted: compression responses without error.
    pub num_comp_completed: u64,
    /// numCompCompletedErrors: compression responses with an error.
    pub num_comp_completed_errors: u64,
    /// numCompCnvErrorsRecovered: compress-and-verify errors recovered.
    pub num_comp_cnv_errors_recovered: u64,
    /// numDecompRequests.
    pub num_decomp_requests: u64,
    /// numDecompRequestsErrors.
    pub num_decomp_requests_errors: u64,
    /// numDecompCompleted.
    pub num_decomp_completed: u64,
    /// numDecompCompletedErrors.
    pub num_decomp_completed_errors: u64,
}

#[derive(Default)]
pub(crate) struct StatsCounters {
    pub(crate) comp: RequestCounters,
    pub(crate) decomp: RequestCounters,
    comp_cnv_recovered: AtomicU64,
}

impl StatsCounters {
    pub(crate) fn of(&self, compress: bool) -> &RequestCounters {
        if compress {
            &self.comp
        } else {
            &self.decomp
        }
    }

    pub(crate) fn cnv_recovered(&self) {
        self.comp_cnv_recovered.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> DcStats {
        let (cr, cre, cc, cce) = self.comp.snapshot();
        let (dr, dre, dc, dce) = self.decomp.snapshot();
        DcStats {
            num_comp_requests: cr,
            num_comp_requests_errors: cre,
            num_comp_completed: cc,
            num_comp_completed_errors: cce,
            num_comp_cnv_errors_recovered: self.comp_cnv_recovered.load(Ordering::Relaxed),
            num_decomp_requests: dr,
            num_decomp_requests_errors: dre,
            num_decomp_completed: dc,
            num_decomp_completed_errors: dce,
        }
    }
}

/// `cpaDcDeflateCompressBound`: the destination size that never overflows for
/// deflate compression of `input_len` bytes (§5.1.1.4, with room for the
/// stored-block fallback of auto-select-best).
pub fn deflate_compress_bound(input_len: usize) -> usize {
    softqat_engine::deflate::deflate_compress_bound(input_len)
        .max(softqat_engine::deflate::stored_size(input_len) + 8)
}

/// `cpaDcLZ4CompressBound`: the destination size that never overflows for LZ4
/// compression of `input_len` bytes in frame blocks of `block_max` bytes.
pub fn lz4_compress_bound(input_len: usize, block_max: Lz4BlockMaxSize) -> usize {
    let block = softqat_engine::lz4::BlockMaxSize::from(block_max).bytes();
    let blocks = input_len.div_ceil(block).max(1);
    // Each block: 4-byte size, at most the input (stored), 4-byte checksum.
    input_len + blocks * 8
}

/// `cpaDcLZ4SCompressBound`: the destination size that never overflows for
/// LZ4S compression of `input_len` bytes — qatlib's gen4 formula,
/// `n + ceil(n / 2000) * 11 + 1024`, which softqat's output stays within.
pub fn lz4s_compress_bound(input_len: usize) -> usize {
    softqat_engine::lz4s::compress_bound(input_len as u64) as usize
}

/// `cpaDcZstdCompressBound` (instances with `CPA_DC_ZSTD`: 6xxx): the
/// destination size that never overflows for the zstd frame of
/// `input_len` bytes, whether a `CPA_DC_ZSTD` request's or one made from
/// LZ4S by [`softqat_engine::zstd::ZstdEncoder`] (every block raw at
/// worst, header and checksum included).
pub fn zstd_compress_bound(input_len: usize) -> usize {
    softqat_engine::zstd::compress_bound(input_len)
}

/// Most bytes a decompression request can write per input byte: deflate's
/// longest match (258 bytes) costs at least 2 bits (a 1-bit length code and
/// a 1-bit distance code), so 4 matches per byte; LZ4 reaches 255:1.
const MAX_INFLATE_RATIO: usize = 4 * 258;

/// Most bytes one request of a session with `setup` can write for
/// `src_len` input bytes (with room to spare): the compression bound when
/// compressing, deflate's largest expansion when decompressing. What a
/// managed-mode bounce buffer needs, whatever the caller's destination.
pub(crate) fn max_output(setup: &DcSessionSetup, compress: bool, src_len: usize) -> usize {
    let bound = if compress {
        match setup.comp_type {
            CompType::Lz4 => lz4_compress_bound(src_len, setup.lz4_block_max_size),
            CompType::Lz4s => lz4s_compress_bound(src_len),
            CompType::Zstd => zstd_compress_bound(src_len),
            CompType::Deflate => deflate_compress_bound(src_len),
        }
    } else if setup.comp_type == CompType::Zstd {
        // A zstd block of 4 bytes (RLE) stands for up to 128 KiB: no
        // useful ratio bounds it, so the caller's destination does.
        usize::MAX
    } else {
        src_len.saturating_mul(MAX_INFLATE_RATIO)
    };
    // Slack for headers and a final partial byte: a bounce buffer a little
    // too large costs nothing, one too small would change the result.
    bound.saturating_add(4096)
}

/// `cpaDcGetStatusText` for a request status.
pub fn status_text(status: DcStatus) -> &'static str {
    status.name()
}

/// The LZ4 frame options a setup implies.
fn lz4_frame_options(setup: &DcSessionSetup) -> softqat_engine::framing::Lz4FrameOptions {
    let mut o =
        softqat_engine::framing::Lz4FrameOptions::qat(setup.lz4_block_max_size.into(), true);
    o.blocks.checksum = setup.lz4_block_checksum;
    o.content_checksum = setup.checksum == ChecksumType::Xxhash32;
    o
}

/// The LZ4 frame header of `setup`.
fn lz4_header(setup: &DcSessionSetup) -> Result<Vec<u8>> {
    let o = lz4_frame_options(setup);
    let mut h = vec![0u8; o.header_len()];
    softqat_engine::framing::write_lz4_frame_header(&o, &mut h)
        .map_err(|e| Error::invalid(e.to_string()))?;
    Ok(h)
}

/// The LZ4 frame footer (end mark and content checksum) of `setup`.
fn lz4_footer(setup: &DcSessionSetup, checksum: u32) -> Result<Vec<u8>> {
    let o = lz4_frame_options(setup);
    let mut f = vec![0u8; o.footer_len()];
    softqat_engine::framing::write_lz4_frame_footer(&o, checksum, &mut f)
        .map_err(|e| Error::invalid(e.to_string()))?;
    Ok(f)
}

/// The gzip or zlib header of a deflate setup (none without a checksum).
fn deflate_header(setup: &DcSessionSetup) -> Vec<u8> {
    use softqat_engine::framing;
    match setup.checksum {
        ChecksumType::Crc32 => framing::gzip_header(setup.comp_level).to_vec(),
        ChecksumType::Adler32 => framing::zlib_header(setup.comp_level).to_vec(),
        _ => Vec::new(),
    }
}

/// The gzip or zlib footer of a deflate setup (none without a checksum).
fn deflate_footer(setup: &DcSessionSetup, checksum: u32, total_in: u64) -> Vec<u8> {
    use softqat_engine::framing;
    match setup.checksum {
        ChecksumType::Crc32 => framing::gzip_footer(checksum, total_in).to_vec(),
        ChecksumType::Adler32 => framing::zlib_footer(checksum).to_vec(),
        _ => Vec::new(),
    }
}

impl DcSession {
    /// `cpaDcGenerateHeader`: writes the stream header the session implies —
    /// gzip (RFC 1952) for CRC32 deflate sessions, zlib (RFC 1950) for
    /// Adler32, an LZ4 frame header for LZ4 — and returns its length (0 for
    /// deflate sessions without a checksum: raw deflate has no header).
    pub fn generate_header(&self, dst: &mut [u8]) -> Result<usize> {
        let setup = &self.inner.setup;
        let bytes = match setup.comp_type {
            CompType::Lz4 => lz4_header(setup)?,
            _ => deflate_header(setup),
        };
        copy_out(&bytes, dst)
    }

    /// `cpaDcGenerateFooter`: writes the stream footer — gzip (CRC32 and the
    /// input length mod 2^32), zlib (Adler32), or the LZ4 end mark and content
    /// checksum — given the stream's final checksum and total input length.
    pub fn generate_footer(&self, checksum: u32, total_in: u64, dst: &mut [u8]) -> Result<usize> {
        let setup = &self.inner.setup;
        let bytes = match setup.comp_type {
            CompType::Lz4 => lz4_footer(setup, checksum)?,
            _ => deflate_footer(setup, checksum, total_in),
        };
        copy_out(&bytes, dst)
    }
}

/// `cpaDcNsGenerateHeader`: the stream header of no-session requests with
/// `setup`, written to `dst`; its length is returned. As qatlib: deflate
/// gets a gzip header for CRC32, a zlib header for Adler32 and none
/// otherwise; LZ4 gets a frame header only with an xxHash32 checksum; other
/// types none. `compLevel` must be 1..=12.
pub fn ns_generate_header(setup: &DcSessionSetup, dst: &mut [u8]) -> Result<usize> {
    if !(1..=12).contains(&setup.comp_level) {
        return Err(Error::invalid(format!(
            "compLevel {} is not a CpaDcCompLvl: use 1..=12",
            setup.comp_level
        )));
    }
    let bytes = match (setup.comp_type, setup.checksum) {
        (CompType::Deflate, _) => deflate_header(setup),
        (CompType::Lz4, ChecksumType::Xxhash32) => lz4_header(setup)?,
        _ => Vec::new(),
    };
    copy_out(&bytes, dst)
}

/// `cpaDcNsGenerateFooter`: the stream footer of no-session requests with
/// `setup`, for the stream's final `checksum` (the last request's results)
/// and `total_in` input bytes, written to `dst`; its length is returned. As
/// qatlib: deflate gets a gzip footer for CRC32, a zlib footer for Adler32;
/// LZ4 the end mark and content checksum with xxHash32; LZ4S and ZSTD
/// streams have no footer here (UNSUPPORTED).
pub fn ns_generate_footer(
    setup: &DcSessionSetup,
    checksum: u32,
    total_in: u64,
    dst: &mut [u8],
) -> Result<usize> {
    let bytes = match (setup.comp_type, setup.checksum) {
        (CompType::Deflate, _) => deflate_footer(setup, checksum, total_in),
        (CompType::Lz4, ChecksumType::Xxhash32) => lz4_footer(setup, checksum)?,
        (CompType::Lz4, _) => Vec::new(),
        _ => {
            return Err(Error::unsupported(
                "no-session footers are for CPA_DC_DEFLATE and CPA_DC_LZ4 streams",
            ))
        }
    };
    copy_out(&bytes, dst)
}

fn copy_out(bytes: &[u8], dst: &mut [u8]) -> Result<usize> {
    let Some(d) = dst.get_mut(..bytes.len()) else {
        return Err(Error::invalid(format!(
            "the destination holds {} bytes; the header or footer needs {}",
            dst.len(),
            bytes.len()
        )));
    };
    d.copy_from_slice(bytes);
    Ok(bytes.len())
}

/// `CpaDcInstanceCapabilities`: what a compression instance supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DcCapabilities {
    /// statefulDeflateCompression: gen2 classes (as QAT 1.5/1.6; see
    /// [`stream`]); gen4 is stateless only.
    pub stateful_deflate_compression: bool,
    /// statefulDeflateDecompression.
    pub stateful_deflate_decompression: bool,
    /// statelessDeflateCompression.
    pub stateless_deflate_compression: bool,
    /// statelessDeflateDecompression.
    pub stateless_deflate_decompression: bool,
    /// statelessLZ4Compression.
    pub stateless_lz4_compression: bool,
    /// statelessLZ4Decompression.
    pub stateless_lz4_decompression: bool,
    /// statelessLZ4SCompression (gen4).
    pub stateless_lz4s_compression: bool,
    /// `CPA_DC_ZSTD` compression and decompression, stateless, with
    /// xxHash64 (qatlib: gen6 only). Not a field of the deprecated
    /// `CpaDcInstanceCapabilities`: `cpaDcQueryCapabilityByType` reports it.
    pub zstd: bool,
    /// Uncompressed preset dictionaries for deflate
    /// (`CPA_DC_CAP_BOOL_UNCOMPRESSED_DICT`; qatlib: gen6). Not a field of
    /// the deprecated `CpaDcInstanceCapabilities`.
    pub dictionary: bool,
    /// checksumCRC32.
    pub checksum_crc32: bool,
    /// checksumAdler32.
    pub checksum_adler32: bool,
    /// checksumXXHash32.
    pub checksum_xxhash32: bool,
    /// dynamicHuffman.
    pub dynamic_huffman: bool,
    /// dynamicHuffmanBufferReq: no intermediate buffers are needed.
    pub dynamic_huffman_buffer_req: bool,
    /// precompiledHuffman.
    pub precompiled_huffman: bool,
    /// autoSelectBestHuffmanTree.
    pub auto_select_best_huffman_tree: bool,
    /// validWindowSizeMaskCompression: bit n set for window size enum n.
    pub valid_window_size_mask_compression: u8,
    /// validWindowSizeMaskDecompression.
    pub valid_window_size_mask_decompression: u8,
    /// compressAndVerify.
    pub compress_and_verify: bool,
    /// compressAndVerifyStrict.
    pub compress_and_verify_strict: bool,
    /// compressAndVerifyAndRecover.
    pub compress_and_verify_and_recover: bool,
    /// integrityCrcs: 32-bit integrity CRCs.
    pub integrity_crcs: bool,
    /// integrityCrcs64b: 64-bit integrity CRCs.
    pub integrity_crcs64b: bool,
    /// `CPA_DC_CAP_BOOL_PROGRAMMABLE_CRC64`: `cpaDcSetCrcControlData`.
    pub programmable_crc64: bool,
    /// `cpaDcDpIsPartReadSupported`.
    pub dp_part_read: bool,
    /// `cpaDcDpIsZeroPadSupported`.
    pub dp_zero_pad: bool,
}

impl DcCapabilities {
    /// The capabilities of an instance on an endpoint of `class` (what
    /// differs by class comes from its row).
    pub(crate) fn for_class(class: &DeviceClass) -> DcCapabilities {
        let (comp_windows, decomp_windows) = (
            class.dc.window_mask_compression,
            class.dc.window_mask_decompression,
        );
        let stateful = class.dc.stateful.is_some();
        DcCapabilities {
            stateful_deflate_compression: stateful,
            stateful_deflate_decompression: stateful,
            stateless_deflate_compression: true,
            stateless_deflate_decompression: true,
            stateless_lz4_compression: true,
            stateless_lz4_decompression: true,
            stateless_lz4s_compression: class.dc.lz4s_compression,
            zstd: class.dc.zstd,
            dictionary: class.dc.dictionary,
            checksum_crc32: true,
            checksum_adler32: true,
            checksum_xxhash32: true,
            dynamic_huffman: true,
            dynamic_huffman_buffer_req: false,
            precompiled_huffman: false,
            auto_select_best_huffman_tree: true,
            valid_window_size_mask_compression: comp_windows,
            valid_window_size_mask_decompression: decomp_windows,
            compress_and_verify: true,
            compress_and_verify_strict: true,
            compress_and_verify_and_recover: true,
            integrity_crcs: class.dc.integrity_crc32,
            integrity_crcs64b: class.dc.integrity_crc64,
            programmable_crc64: class.dc.programmable_crc64,
            dp_part_read: class.dc.dp_part_read_zero_pad,
            dp_zero_pad: class.dc.dp_part_read_zero_pad,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen4() -> &'static DeviceClass {
        DeviceClass::by_name("4xxx").unwrap()
    }

    fn gen2() -> &'static DeviceClass {
        DeviceClass::by_name("c6xx").unwrap()
    }

    #[test]
    fn capabilities_follow_the_class() {
        let g4 = DcCapabilities::for_class(gen4());
        assert_eq!(g4.valid_window_size_mask_compression, 1 << 3);
        assert_eq!(g4.valid_window_size_mask_decompression, 0b0_1111);
        assert!(g4.compress_and_verify_and_recover && !g4.stateful_deflate_compression);
        let g2 = DcCapabilities::for_class(gen2());
        assert_eq!(g2.valid_window_size_mask_compression, 0b1_1111);
        assert_eq!(g2.valid_window_size_mask_decompression, 0b1_1111);
    }

    #[test]
    fn window_messages_name_the_windows_of_the_class() {
        assert_eq!(windows_of(1 << 3), "a 32 KiB window");
        assert_eq!(windows_of(0b0_1111), "windows of 4K to 32K");
        assert_eq!(largest_window(0b0_1111), "CPA_DC_WINSIZE_32K");
        assert_eq!(largest_window(0b1_1111), "CPA_DC_WINSIZE_64K");
        let w8 = DcSessionSetup {
            window_size: WindowSize::W8K,
            ..DcSessionSetup::default()
        };
        assert_eq!(
            w8.validate(gen4()).unwrap_err().message,
            "gen4 deflate compression uses a 32 KiB window: set windowSize to CPA_DC_WINSIZE_32K"
        );
        let w64 = DcSessionSetup {
            window_size: WindowSize::W64K,
            comp_type: CompType::Lz4,
            checksum: ChecksumType::Xxhash32,
            ..DcSessionSetup::default()
        };
        assert_eq!(
            w64.validate(gen4()).unwrap_err().message,
            "gen4 decompression accepts windows of 4K to 32K: use CPA_DC_WINSIZE_32K"
        );
        assert!(w64.validate(gen2()).is_ok());
        let l12 = DcSessionSetup {
            comp_level: 12,
            ..DcSessionSetup::default()
        };
        assert!(l12.validate(gen4()).is_ok());
        assert_eq!(
            l12.validate(gen2()).unwrap_err().message,
            "compLevel 12 is out of range: use 1..=9"
        );
    }

    #[test]
    fn session_validation_follows_gen4_rules() {
        let ok = DcSessionSetup::default();
        assert!(ok.validate(gen4()).is_ok());
        let stateful = DcSessionSetup {
            state: SessionState::Stateful,
            ..ok
        };
        assert_eq!(
            stateful.validate(gen4()).unwrap_err().status,
            CpaStatus::Unsupported
        );
        let window = DcSessionSetup {
            window_size: WindowSize::W8K,
            ..ok
        };
        assert_eq!(
            window.validate(gen4()).unwrap_err().status,
            CpaStatus::InvalidParam
        );
        assert!(window.validate(gen2()).is_ok());
        let decompress_only = DcSessionSetup {
            window_size: WindowSize::W8K,
            direction: SessionDirection::Decompress,
            ..ok
        };
        assert!(decompress_only.validate(gen4()).is_ok());
        for level in [0u8, 13] {
            let l = DcSessionSetup {
                comp_level: level,
                ..ok
            };
            assert_eq!(
                l.validate(gen4()).unwrap_err().status,
                CpaStatus::InvalidParam
            );
        }
        let l10 = DcSessionSetup {
            comp_level: 10,
            ..ok
        };
        assert!(l10.validate(gen4()).is_ok());
        assert!(l10.validate(gen2()).is_err());
    }

    #[test]
    fn cpa_values_softqat_does_not_implement_are_unsupported() {
        let ok = DcSessionSetup::default();
        let cases = [
            (
                DcSessionSetup {
                    comp_type: CompType::Zstd,
                    checksum: ChecksumType::None,
                    ..ok
                },
                "compress with CPA_DC_LZ4S",
            ),
            (
                DcSessionSetup {
                    checksum: ChecksumType::Xxhash64,
                    ..ok
                },
                "use CPA_DC_XXHASH32",
            ),
            (
                DcSessionSetup {
                    comp_type: CompType::Lz4,
                    checksum: ChecksumType::Xxhash64,
                    ..ok
                },
                "use CPA_DC_XXHASH32",
            ),
        ];
        for (setup, advice) in cases {
            for gen in [gen4(), gen2()] {
                let e = setup.validate(gen).unwrap_err();
                assert_eq!(e.status, CpaStatus::Unsupported, "{e}");
                assert!(e.message.contains(advice), "{e}");
            }
        }
    }

    #[test]
    fn lz4s_sessions_compress_on_gen4_only() {
        let lz4s = DcSessionSetup {
            comp_type: CompType::Lz4s,
            checksum: ChecksumType::Xxhash32,
            direction: SessionDirection::Compress,
            ..DcSessionSetup::default()
        };
        let desc = lz4s.validate(gen4()).unwrap();
        assert_eq!(desc.comp_type, CompType::Lz4s.value());
        let none = DcSessionSetup {
            checksum: ChecksumType::None,
            min_match: MinMatch::FourBytes,
            ..lz4s
        };
        assert!(none.validate(gen4()).is_ok());
        let e = lz4s.validate(gen2()).unwrap_err();
        assert_eq!(e.status, CpaStatus::Unsupported);
        assert!(e.message.contains("from gen4"), "{e}");
        for direction in [SessionDirection::Decompress, SessionDirection::Combined] {
            let e = DcSessionSetup { direction, ..lz4s }
                .validate(gen4())
                .unwrap_err();
            assert_eq!(e.status, CpaStatus::Unsupported);
            assert!(e.message.contains("compression only"), "{e}");
        }
        for checksum in [
            ChecksumType::Crc32,
            ChecksumType::Adler32,
            ChecksumType::Crc32Adler32,
        ] {
            let e = DcSessionSetup { checksum, ..lz4s }
                .validate(gen4())
                .unwrap_err();
            assert_eq!(e.status, CpaStatus::InvalidParam, "{checksum:?}");
        }
        assert!(DcCapabilities::for_class(gen4()).stateless_lz4s_compression);
        assert!(!DcCapabilities::for_class(gen2()).stateless_lz4s_compression);
        for class in [gen4(), gen2()] {
            assert!(!DcCapabilities::for_class(class).zstd);
        }
    }

    #[test]
    fn bounds() {
        // §5.1.1.4 plus room for stored blocks on incompressible data.
        assert!(deflate_compress_bound(111_261) >= 125_224);
        assert!(deflate_compress_bound(1 << 20) >= softqat_engine::deflate::stored_size(1 << 20));
        assert_eq!(lz4_compress_bound(65536, Lz4BlockMaxSize::K64), 65536 + 8);
        // qatlib dcLZ4SBoundGen4: n + ceil(n / 2000) * 11 + 1024.
        assert_eq!(lz4s_compress_bound(1), 1 + 11 + 1024);
        assert_eq!(lz4s_compress_bound(65536), 65536 + 33 * 11 + 1024);
        assert!(zstd_compress_bound(65536) >= 65536 + 3 + 4);
    }
}
