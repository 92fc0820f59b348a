//! The public-key service's firmware: one request is one primitive of the
//! engine's [`asym`](softqat_engine::asym) module, its numbers in one DMA
//! buffer (see [`AsymRequestParams`]).
//!
//! The firmware checks the request's shape against the function's
//! signature — how many numbers go in and out — and hands the engine the
//! numbers as slices of that buffer; the engine checks their values and
//! sizes. Public-key requests have no session: the content descriptor is
//! unused.

use softqat_cpa::CpaStatus;
use softqat_engine::asym::AsymError;

mod ops;

use super::{RequestContext, ServiceFirmware};
use crate::desc::{
    asym_table_len, AsymFunction, AsymRequestParams, AsymResponseResults, RequestDesc,
    ResponseDesc, ServiceId, ASYM_MAX_NUMBER, ASYM_MAX_PARAMS,
};
use crate::dma::DmaError;

/// What the engine says of a request: its boolean outcome (a verify, a
/// prime test; true for the rest), or why it has none.
pub type Outcome = Result<bool, FirmwareError>;

/// Why a public-key request was not carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirmwareError {
    /// The engine refused or failed the operation.
    Engine(AsymError),
    /// The request's shape does not fit its function.
    Shape,
    /// The endpoint does not run this function.
    Unsupported,
}

impl From<AsymError> for FirmwareError {
    fn from(e: AsymError) -> FirmwareError {
        FirmwareError::Engine(e)
    }
}

impl FirmwareError {
    /// The CPA status a response carries for this error.
    pub fn status(self) -> CpaStatus {
        match self {
            // Binary-field curves are a capability this endpoint lacks.
            FirmwareError::Engine(AsymError::InvalidParam(m))
                if m == softqat_engine::asym::ec::BINARY_UNSUPPORTED =>
            {
                CpaStatus::Unsupported
            }
            FirmwareError::Engine(AsymError::InvalidParam(_)) | FirmwareError::Shape => {
                CpaStatus::InvalidParam
            }
            FirmwareError::Engine(AsymError::Failed(_)) => CpaStatus::Fail,
            FirmwareError::Engine(AsymError::NoMemory) => CpaStatus::Resource,
            FirmwareError::Unsupported => CpaStatus::Unsupported,
        }
    }
}

/// The numbers of one request: inputs to read, outputs to fill.
pub struct Numbers<'a, 'b> {
    /// Inputs, in the function's order.
    pub inputs: &'b [&'a [u8]],
    /// Outputs, in the function's order, sized by the requester.
    pub outputs: &'b mut [&'a mut [u8]],
    /// The request's small arguments.
    pub args: [u32; 4],
}

/// Splits the request buffer into its numbers and runs `run` on them.
fn with_numbers(
    buf: &mut [u8],
    n_in: usize,
    n_out: usize,
    args: [u32; 4],
    run: impl FnOnce(&mut Numbers<'_, '_>) -> Outcome,
) -> Outcome {
    let n = n_in + n_out;
    let table = asym_table_len(n);
    if buf.len() < table {
        return Err(FirmwareError::Shape);
    }
    let (head, mut rest) = buf.split_at_mut(table);
    let mut lens = [0usize; ASYM_MAX_PARAMS];
    for (i, len) in lens.iter_mut().enumerate().take(n) {
        let b = &head[i * 4..i * 4 + 4];
        *len = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        if *len > ASYM_MAX_NUMBER {
            return Err(FirmwareError::Shape);
        }
    }
    let mut inputs: [&[u8]; ASYM_MAX_PARAMS] = [&[]; ASYM_MAX_PARAMS];
    let mut outputs: [&mut [u8]; ASYM_MAX_PARAMS] = Default::default();
    for (i, &len) in lens.iter().enumerate().take(n) {
        if rest.len() < len {
            return Err(FirmwareError::Shape);
        }
        let (this, tail) = std::mem::take(&mut rest).split_at_mut(len);
        rest = tail;
        if i < n_in {
            inputs[i] = this;
        } else {
            outputs[i - n_in] = this;
        }
    }
    let outcome = run(&mut Numbers {
        inputs: &inputs[..n_in],
        outputs: &mut outputs[..n_out],
        args,
    });
    // What follows the numbers is the reason area: the engine's refusal,
    // for the requester's error message.
    if let Err(FirmwareError::Engine(AsymError::InvalidParam(why) | AsymError::Failed(why))) =
        outcome
    {
        let n = why.len().min(rest.len());
        rest[..n].copy_from_slice(&why.as_bytes()[..n]);
        rest[n..].fill(0);
    }
    outcome
}

/// Per-engine-thread public-key firmware (no state: the engine's
/// arithmetic allocates its own scratch).
#[derive(Default)]
pub struct AsymFirmware;

impl AsymFirmware {
    fn try_execute(req: &RequestDesc, ctx: &mut RequestContext<'_>) -> Outcome {
        let f = AsymFunction::from_u8(req.header.command).ok_or(FirmwareError::Shape)?;
        let p: AsymRequestParams = req.params();
        let (n_in, n_out) = (usize::from(p.n_in), usize::from(p.n_out));
        let sig = f.signature();
        if (n_in, n_out) != (usize::from(sig.inputs), usize::from(sig.outputs)) {
            return Err(FirmwareError::Shape);
        }
        match ctx.buffers.load(ctx.memory, &req.src, &req.dst) {
            Ok(()) => {}
            Err(DmaError::NoMemory(_)) => return Err(FirmwareError::Engine(AsymError::NoMemory)),
            Err(_) => return Err(FirmwareError::Shape),
        }
        if !ctx.buffers.is_in_place() {
            // The numbers are read and written in one buffer.
            return Err(FirmwareError::Shape);
        }
        ctx.buffers
            .run_in_dst(|buf| with_numbers(buf, n_in, n_out, p.args, |nums| ops::run(f, nums)))
            .map_err(|e| match e {
                // No memory to gather a list into: RESOURCE, not the
                // requester's mistake.
                DmaError::NoMemory(_) => FirmwareError::Engine(AsymError::NoMemory),
                _ => FirmwareError::Shape,
            })?
    }
}

impl ServiceFirmware for AsymFirmware {
    fn service(&self) -> ServiceId {
        ServiceId::Asym
    }

    fn execute(&mut self, req: &RequestDesc, ctx: &mut RequestContext<'_>) -> ResponseDesc {
        match AsymFirmware::try_execute(req, ctx) {
            Ok(outcome) => ResponseDesc::with_result(
                req,
                &AsymResponseResults {
                    outcome: u8::from(outcome),
                    ..AsymResponseResults::default()
                },
            ),
            Err(e) => ResponseDesc::failed(req, e.status()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buffer(lens: &[u32], fill: u8) -> Vec<u8> {
        let t = asym_table_len(lens.len());
        let mut b = vec![0u8; t + lens.iter().sum::<u32>() as usize];
        for (i, l) in lens.iter().enumerate() {
            b[i * 4..i * 4 + 4].copy_from_slice(&l.to_le_bytes());
        }
        b[t..].fill(fill);
        b
    }

    #[test]
    fn numbers_are_split_in_table_order() {
        let mut b = buffer(&[2, 3, 4], 7);
        let r = with_numbers(&mut b, 2, 1, [0; 4], |n| {
            assert_eq!(n.inputs.len(), 2);
            assert_eq!(n.inputs[0].len(), 2);
            assert_eq!(n.inputs[1].len(), 3);
            assert_eq!(n.outputs[0].len(), 4);
            n.outputs[0].copy_from_slice(&[1, 2, 3, 4]);
            Ok(true)
        });
        assert_eq!(r, Ok(true));
        assert_eq!(&b[b.len() - 4..], &[1, 2, 3, 4]);
    }

    #[test]
    fn lengths_past_the_buffer_or_the_limit_are_refused() {
        let mut b = buffer(&[2, 3], 0);
        b.truncate(b.len() - 1);
        assert_eq!(
            with_numbers(&mut b, 1, 1, [0; 4], |_| Ok(true)),
            Err(FirmwareError::Shape)
        );
        let mut b = buffer(&[ASYM_MAX_NUMBER as u32 + 1], 0);
        assert_eq!(
            with_numbers(&mut b, 1, 0, [0; 4], |_| Ok(true)),
            Err(FirmwareError::Shape)
        );
        let mut b = vec![0u8; 4];
        assert_eq!(
            with_numbers(&mut b, 1, 1, [0; 4], |_| Ok(true)),
            Err(FirmwareError::Shape)
        );
    }
}
