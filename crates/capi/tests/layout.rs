//! Layouts and values: the C compiler's view of softqat's headers equals
//! the figures measured from Intel's qatlib 26.08 headers
//! (`tests/data/layout/*.txt`: every struct's size, every field's offset,
//! every enum and integer constant), and the Rust mirrors the library reads
//! and writes have the same sizes and offsets.

mod common;

use std::collections::BTreeMap;
use std::mem::{offset_of, size_of};
use std::time::Duration;

use common::*;

/// The lines of a layout file, keyed by their first two words.
fn table(family: &str) -> BTreeMap<String, i64> {
    let text = std::fs::read_to_string(crate_dir().join(format!("tests/data/layout/{family}.txt")))
        .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(f.len(), 3, "bad layout line {l:?}");
            (format!("{} {}", f[0], f[1]), f[2].parse().unwrap())
        })
        .collect()
}

#[test]
fn headers_match_qatlib_layouts_and_values() {
    let scratch = Scratch::new("layout");
    for family in ["base", "sym", "asym"] {
        let exe = scratch.path().join(format!("layout_{family}"));
        let c = crate_dir();
        let out = std::process::Command::new(cc())
            .args(["-std=c99", "-Wall", "-Werror", "-I"])
            .arg(c.join("include/qat"))
            .arg(c.join(format!("tests/c/layout_{family}.c")))
            .arg("-o")
            .arg(&exe)
            .output()
            .expect("run the C compiler");
        assert!(
            out.status.success(),
            "layout_{family}.c does not compile against include/qat:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = run(&exe, &[], &[], Duration::from_secs(30));
        assert!(out.status.success());
        let ours: BTreeMap<String, i64> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (format!("{} {}", f[0], f[1]), f[2].parse().unwrap())
            })
            .collect();
        let intel = table(family);
        assert!(intel.len() > 400, "{family}: only {} facts", intel.len());
        let mut diffs = Vec::new();
        for (k, v) in &intel {
            match ours.get(k) {
                Some(o) if o == v => {}
                other => diffs.push(format!("{k}: qatlib {v}, softqat {other:?}")),
            }
        }
        for k in ours.keys().filter(|k| !intel.contains_key(*k)) {
            diffs.push(format!("{k}: not in qatlib's table"));
        }
        assert!(
            diffs.is_empty(),
            "{family}: {} differences:\n{}",
            diffs.len(),
            diffs.join("\n")
        );
    }
}

/// Checks a Rust mirror against the measured table: its size and, for
/// each (Rust field, C field) pair, the offset.
macro_rules! mirror {
    ($table:expr, $t:ty, $c:literal { $($f:ident => $cf:literal),* $(,)? }) => {{
        let t = &$table;
        let size = t.get(concat!("sizeof ", $c)).copied();
        assert_eq!(size, Some(size_of::<$t>() as i64), "sizeof {}", $c);
        $(
            let off = t.get(concat!("offsetof ", $c, ".", $cf)).copied();
            assert_eq!(off, Some(offset_of!($t, $f) as i64), "offsetof {}.{}", $c, $cf);
        )*
    }};
}

#[test]
fn rust_mirrors_match_qatlib_layouts() {
    use qat::abi::dc::*;
    use qat::abi::*;
    let base = table("base");
    mirror!(base, CpaFlatBuffer, "CpaFlatBuffer" { data_len_in_bytes => "dataLenInBytes", p_data => "pData" });
    mirror!(base, CpaBufferList, "CpaBufferList" {
        num_buffers => "numBuffers", p_buffers => "pBuffers", p_user_data => "pUserData",
        p_private_meta_data => "pPrivateMetaData",
    });
    mirror!(base, CpaPhysFlatBuffer, "CpaPhysFlatBuffer" {
        data_len_in_bytes => "dataLenInBytes", reserved => "reserved",
        buffer_phys_addr => "bufferPhysAddr",
    });
    mirror!(base, CpaPhysicalInstanceId, "CpaPhysicalInstanceId" {
        package_id => "packageId", accelerator_id => "acceleratorId",
        execution_engine_id => "executionEngineId", bus_address => "busAddress",
        kpt_ac_handle => "kptAcHandle",
    });
    mirror!(base, CpaInstanceInfo2, "CpaInstanceInfo2" {
        acceleration_service_type => "accelerationServiceType", vendor_name => "vendorName",
        part_name => "partName", sw_version => "swVersion", inst_name => "instName",
        inst_id => "instID", phys_inst_id => "physInstId", core_affinity => "coreAffinity",
        node_affinity => "nodeAffinity", oper_state => "operState",
        requires_physically_contiguous_memory => "requiresPhysicallyContiguousMemory",
        is_polled => "isPolled", is_offloaded => "isOffloaded",
    });
    mirror!(base, CpaInstanceInfo, "CpaInstanceInfo" {
        type_ => "type", state => "state", name => "name", version => "version",
    });
    mirror!(base, CpaDcSessionSetupData, "CpaDcSessionSetupData" {
        comp_level => "compLevel", comp_type => "compType", huff_type => "huffType",
        auto_select_best_huffman_tree => "autoSelectBestHuffmanTree",
        sess_direction => "sessDirection", sess_state => "sessState", window_size => "windowSize",
        min_match => "minMatch", lz4_block_max_size => "lz4BlockMaxSize",
        lz4_block_checksum => "lz4BlockChecksum", lz4_block_independence => "lz4BlockIndependence",
        checksum => "checksum", accumulate_xx_hash => "accumulateXXHash",
    });
    mirror!(base, CpaDcSessionUpdateData, "CpaDcSessionUpdateData" {
        comp_level => "compLevel", huff_type => "huffType", enable_dmm => "enableDmm",
    });
    mirror!(base, CpaDcStats, "CpaDcStats" {
        num_comp_requests => "numCompRequests", num_comp_requests_errors => "numCompRequestsErrors",
        num_comp_completed => "numCompCompleted",
        num_comp_completed_errors => "numCompCompletedErrors",
        num_comp_cnv_errors_recovered => "numCompCnvErrorsRecovered",
        num_decomp_requests => "numDecompRequests",
        num_decomp_requests_errors => "numDecompRequestsErrors",
        num_decomp_completed => "numDecompCompleted",
        num_decomp_completed_errors => "numDecompCompletedErrors",
    });
    mirror!(base, CpaDcRqResults, "CpaDcRqResults" {
        status => "status", produced => "produced", consumed => "consumed", checksum => "checksum",
        end_of_last_block => "endOfLastBlock", data_uncompressed => "dataUncompressed",
    });
    mirror!(base, CpaDcChainSessionSetupData, "CpaDcChainSessionSetupData" {
        sess_type => "sessType", p_setup_data => "pDcSetupData", p_setup_data => "pCySetupData",
    });
    mirror!(base, CpaDcChainOpData, "CpaDcChainOpData" {
        op_type => "opType", p_op => "pDcOp", p_op => "pCySymOp",
    });
    mirror!(base, CpaDcChainRqResults, "CpaDcChainRqResults" {
        dc_status => "dcStatus", cy_status => "cyStatus", verify_result => "verifyResult",
        produced => "produced", consumed => "consumed", crc32 => "crc32", adler32 => "adler32",
    });
    mirror!(base, CpaDcOpData2, "CpaDcOpData2" {
        dc_op_data => "dcOpData", append_crc64 => "appendCRC64",
    });
    mirror!(base, CpaDcChainSubOpData2, "CpaDcChainSubOpData2" {
        op_type => "opType", p_op => "pDcOp2", p_op => "pCySymOp2",
    });
    mirror!(base, CpaDcChainOpData2, "CpaDcChainOpData2" {
        test_integrity => "testIntegrity", operation => "operation",
        num_op_datas => "numOpDatas", p_chain_op_data => "pChainOpData",
    });
    mirror!(base, CpaDcChainRqVResults, "CpaDcChainRqVResults" {
        chain_rq_results => "chainRqResults", ctx_crc64 => "ctxCrc64",
        i_dc_crc64 => "iDcCrc64", o_dc_crc64 => "oDcCrc64", stored_crc64 => "storedCrc64",
        reserved1 => "reserved1", chain_status => "chainStatus",
    });
    mirror!(base, CpaCrcData, "CpaCrcData" {
        crc32 => "crc32", adler32 => "adler32", integrity_crc => "integrityCrc",
        integrity_crc64b => "integrityCrc64b",
    });
    mirror!(base, CpaCrcControlData, "CpaCrcControlData" {
        polynomial => "polynomial", initial_value => "initialValue", reflect_in => "reflectIn",
        reflect_out => "reflectOut", xor_out => "xorOut",
    });
    mirror!(base, CpaDcDpPartialReadData, "CpaDcDpPartialReadData" {
        buffer_offset => "bufferOffset", data_offset => "dataOffset", length => "length",
    });
    mirror!(base, CpaDcSkipData, "CpaDcSkipData" {
        skip_mode => "skipMode", skip_length => "skipLength", stride_length => "strideLength",
        first_skip_offset => "firstSkipOffset",
    });
    mirror!(base, CpaDcOpData, "CpaDcOpData" {
        flush_flag => "flushFlag", compress_and_verify => "compressAndVerify",
        compress_and_verify_and_recover => "compressAndVerifyAndRecover",
        integrity_crc_check => "integrityCrcCheck",
        verify_hw_integrity_crcs => "verifyHwIntegrityCrcs",
        integrity_crc_size => "integrityCrcSize", input_skip_data => "inputSkipData",
        output_skip_data => "outputSkipData", p_crc_data => "pCrcData",
    });
    mirror!(base, CpaDcDictionaryData, "CpaDcDictionaryData" {
        p_dictionary_buff => "pDictionaryBuff", dictionary_type => "dictionaryType",
        calc_dictionary_integ_crc => "calcDictionaryIntegCrc",
        dictionary_integ_crc64b => "dictionaryIntegCrc64b", dict_id => "dictId",
        p_ext_dictionary_data => "pExtDictionaryData",
    });
    mirror!(base, CpaDcDpOpData, "CpaDcDpOpData" {
        reserved0 => "reserved0", buffer_len_to_compress => "bufferLenToCompress",
        buffer_len_for_data => "bufferLenForData", reserved1 => "reserved1",
        reserved2 => "reserved2", reserved3 => "reserved3", results => "results",
        dc_instance => "dcInstance", p_session_handle => "pSessionHandle",
        src_buffer => "srcBuffer", src_buffer_len => "srcBufferLen", dest_buffer => "destBuffer",
        dest_buffer_len => "destBufferLen", sess_direction => "sessDirection",
        compress_and_verify => "compressAndVerify",
        compress_and_verify_and_recover => "compressAndVerifyAndRecover",
        response_status => "responseStatus", this_phys => "thisPhys",
        p_callback_tag => "pCallbackTag", p_setup_data => "pSetupData",
    });
    mirror!(base, qat::dc_caps::CpaDcInstanceCapabilities, "CpaDcInstanceCapabilities" {
        stateful_deflate_compression => "statefulDeflateCompression",
        stateless_lz4s_compression => "statelessLZ4SCompression",
        valid_window_size_mask_compression => "validWindowSizeMaskCompression",
        valid_window_size_mask_decompression => "validWindowSizeMaskDecompression",
        internal_huffman_mem => "internalHuffmanMem", integrity_crcs => "integrityCrcs",
        dc_chain_cap_info => "dcChainCapInfo", integrity_crcs64b => "integrityCrcs64b",
    });
    mirror!(base, qat::dc_caps::CpaDcCapabilityReq, "CpaDcCapabilityReq" {
        algo => "algo", dir => "dir", cap_id => "capId",
    });
    mirror!(base, qat::device::CpaDeviceInfo, "CpaDeviceInfo" {
        sku => "sku", bdf => "bdf", device_id => "deviceId", numa_node => "numaNode",
        is_vf => "isVf", dc_enabled => "dcEnabled", cy_sym_enabled => "cySymEnabled",
        cy_asym_enabled => "cyAsymEnabled", inline_enabled => "inlineEnabled",
        device_memory_size_available => "deviceMemorySizeAvailable",
    });
    mirror!(base, qat::device::IcpSalDevVersionInfo, "icp_sal_dev_version_info_t" {
        dev_id => "devId", firmware_version => "firmwareVersion", mmp_version => "mmpVersion",
        software_version => "softwareVersion", hardware_version => "hardwareVersion",
    });
    let sym = table("sym");
    mirror!(sym, qat::cy::CpaCyCapabilitiesInfo, "CpaCyCapabilitiesInfo" {
        sym_supported => "symSupported", sym_dp_supported => "symDpSupported",
        dh_supported => "dhSupported", dsa_supported => "dsaSupported",
        rsa_supported => "rsaSupported", ec_supported => "ecSupported",
        ecdh_supported => "ecdhSupported", ecdsa_supported => "ecdsaSupported",
        key_supported => "keySupported", ln_supported => "lnSupported",
        prime_supported => "primeSupported", drbg_supported => "drbgSupported",
        nrbg_supported => "nrbgSupported", rand_supported => "randSupported",
        kpt_supported => "kptSupported", hkdf_supported => "hkdfSupported",
        ext_algchain_supported => "extAlgchainSupported",
        ec_ed_mont_supported => "ecEdMontSupported", ec_sm2_supported => "ecSm2Supported",
    });
}
