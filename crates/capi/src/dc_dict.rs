//! `cpa_dc.h`'s preset dictionaries: `cpaDcCompressDataWithDict`,
//! `cpaDcDecompressDataWithDict` and `cpaDcGetMetaSizeForSrcBuffWithDict`,
//! answered by the SAL's `dc::dict` (gen6 endpoints; UNSUPPORTED on the
//! other classes, as qatlib answers there).
//!
//! The dictionary's `CpaBufferList` is described like a source: one buffer
//! is a flat descriptor, several a scatter-gather table written into the
//! list's own `pPrivateMetaData`; the request descriptor names it and the
//! endpoint reads it from the caller's memory.

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use softqat_sal::{DcInstance, DictSettings, DictType};

use crate::abi::dc::{CpaDcDictionaryData, CpaDcOpData, CpaDcRqResults, CpaDcSessionHandle};
use crate::abi::{CpaBufferList, CpaFlatBuffer, CpaInstanceHandle};
use crate::dc::{
    check_instance_slot, list_desc, meta_size, op_from_c, session, write_results, DC_SESSION_MAGIC,
    MAX_BUFFERS,
};
use crate::ffi::{arg, arg_mut, entry, CpaStatus, Error, Result, Status};
use crate::runtime::with_instance;

/// The settings of a `CpaDcDictionaryData`.
fn settings_from_c(d: &CpaDcDictionaryData) -> Result<DictSettings> {
    let dict_type = DictType::from_value(d.dictionary_type).ok_or_else(|| {
        Error::invalid(format!(
            "dictionaryType {} is not a CpaDcDictType: use CPA_DC_UNCOMPRESSED_DICT",
            d.dictionary_type
        ))
    })?;
    Ok(DictSettings {
        dict_type,
        calc_integrity_crc: d.calc_dictionary_integ_crc != 0,
        dict_id: d.dict_id,
    })
}

/// Total bytes of a list [`list_desc`] accepted.
///
/// # Safety
/// `list` is a valid `CpaBufferList` whose `pBuffers` has `numBuffers`
/// entries.
unsafe fn list_bytes(list: *const CpaBufferList) -> u64 {
    // SAFETY: the caller's contract.
    let l = unsafe { &*list };
    // SAFETY: as above; list_desc checked the array is not NULL.
    let bufs: &[CpaFlatBuffer] =
        unsafe { std::slice::from_raw_parts(l.p_buffers, l.num_buffers as usize) };
    bufs.iter().map(|b| u64::from(b.data_len_in_bytes)).sum()
}

/// `cpaDcCompressDataWithDict` and `cpaDcDecompressDataWithDict`:
/// synchronous if the session has no callback.
///
/// # Safety
/// The pointers are the caller's, valid as the CPA API requires (for an
/// asynchronous request, until its callback has run).
#[allow(clippy::too_many_arguments)]
unsafe fn perform_with_dict(
    function: &'static str,
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *const CpaBufferList,
    dst: *const CpaBufferList,
    dict: *const CpaDcDictionaryData,
    op: *const CpaDcOpData,
    results: *mut CpaDcRqResults,
    compress: bool,
    tag: *mut c_void,
) -> Status {
    entry(function, || {
        // SAFETY: the caller's contract, for every pointer below.
        let op_c = unsafe { arg(op, "pOpData is NULL") }?;
        // qatlib checks this before anything else.
        if compress && op_c.compress_and_verify == 0 {
            return Err(Error::unsupported(
                "compression with a dictionary needs compress-and-verify (qatlib: data \
                 compression without verification is not allowed): set compressAndVerify",
            ));
        }
        let s = unsafe { session(sess, DC_SESSION_MAGIC) }?;
        check_instance_slot(handle, s.slot)?;
        s.instance.dictionaries_offered()?;
        let res = unsafe { arg_mut(results, "pResults is NULL") }?;
        let op = op_from_c(op_c, res.checksum)?;
        let src_desc = unsafe { list_desc(src, "pSrcBuff is NULL") }?;
        let dst_desc = unsafe { list_desc(dst, "pDestBuff is NULL") }?;
        let d = unsafe { arg(dict, "pDictionaryData is NULL") }?;
        let settings = settings_from_c(d)?;
        let list = d.p_dictionary_buff as *const CpaBufferList;
        let dict_desc = unsafe { list_desc(list, "pDictionaryData->pDictionaryBuff is NULL") }?;
        // SAFETY: list_desc accepted the list.
        let len = unsafe { list_bytes(list) };
        if s.session.has_callback() {
            // Asynchronous: the completion writes `results` and calls back.
            return unsafe {
                s.instance.submit_foreign_with_dict(
                    &s.session,
                    compress,
                    src_desc,
                    dst_desc,
                    dict_desc,
                    len,
                    &settings,
                    &op,
                    tag as usize,
                    results as usize,
                )
            };
        }
        let (status, r) = unsafe {
            s.instance.call_foreign_with_dict(
                &s.session, compress, src_desc, dst_desc, dict_desc, len, &settings, &op,
            )
        }?;
        write_results(res, &r);
        if status == CpaStatus::Success && r.status == softqat_sal::DcStatus::Ok {
            s.consumed
                .fetch_add(u64::from(r.consumed), Ordering::Relaxed);
        }
        match status {
            CpaStatus::Success => Ok(()),
            st => Err(Error::new(st, "the request failed")),
        }
    })
}

/// `cpaDcCompressDataWithDict(dcInstance, pSessionHandle, pSrcBuff,
/// pDestBuff, pDictionaryData, pOpData, pResults, callbackTag)`.
///
/// # Safety
/// CPA API contract: valid pointers; for an asynchronous session the
/// buffers, the dictionary and the results stay valid until the callback
/// has run.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cpaDcCompressDataWithDict(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    dict: *mut CpaDcDictionaryData,
    op: *mut CpaDcOpData,
    results: *mut CpaDcRqResults,
    tag: *mut c_void,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe {
        perform_with_dict(
            "cpaDcCompressDataWithDict",
            handle,
            sess,
            src,
            dst,
            dict,
            op,
            results,
            true,
            tag,
        )
    }
}

/// `cpaDcDecompressDataWithDict(dcInstance, pSessionHandle, pSrcBuff,
/// pDestBuff, pDictionaryData, pOpData, pResults, callbackTag)`.
///
/// # Safety
/// As `cpaDcCompressDataWithDict`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn cpaDcDecompressDataWithDict(
    handle: CpaInstanceHandle,
    sess: CpaDcSessionHandle,
    src: *mut CpaBufferList,
    dst: *mut CpaBufferList,
    dict: *mut CpaDcDictionaryData,
    op: *mut CpaDcOpData,
    results: *mut CpaDcRqResults,
    tag: *mut c_void,
) -> Status {
    // SAFETY: the caller's contract.
    unsafe {
        perform_with_dict(
            "cpaDcDecompressDataWithDict",
            handle,
            sess,
            src,
            dst,
            dict,
            op,
            results,
            false,
            tag,
        )
    }
}

/// `cpaDcGetMetaSizeForSrcBuffWithDict(instanceHandle, numDictBuffers,
/// numSourceBuffers, pSizeInBytes)`: the `pPrivateMetaData` bytes of a
/// source list (or of the dictionary's list) used with a dictionary.
///
/// # Safety
/// `size` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn cpaDcGetMetaSizeForSrcBuffWithDict(
    handle: CpaInstanceHandle,
    num_dict: u32,
    num_src: u32,
    size: *mut u32,
) -> Status {
    entry("cpaDcGetMetaSizeForSrcBuffWithDict", || {
        let n = with_instance::<DcInstance, _>(handle, |d| {
            d.meta_size_for_src_with_dict(num_dict, num_src, meta_size)
        })?;
        if num_dict > MAX_BUFFERS || num_src > MAX_BUFFERS {
            return Err(Error::invalid(format!(
                "a list has 1..={MAX_BUFFERS} buffers (numDictBuffers {num_dict}, \
                 numSourceBuffers {num_src})"
            )));
        }
        // SAFETY: the caller's contract.
        *unsafe { arg_mut(size, "pSizeInBytes is NULL") }? = n;
        Ok(())
    })
}
