//===- RecurrentOps.td - One time step of GRU, LSTM and vanilla RNN cells -===//
//
// Each op is ONE time step of a recurrent cell; frontends unroll sequences
// (ONNX GRU / LSTM / RNN, SINGA kGRU) into a chain of cells. Layouts follow
// ONNX: x [N, I], h [N, H], w [gates*H, I], r [gates*H, H], optional bias
// b [2*gates*H] = Wb then Rb, each gate's block of H rows in the ONNX gate
// order. All operands share one float element type. The reference kernel
// computes in double and rounds the results to the element type.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RECURRENT_OPS_TD
#define STRATA_RECURRENT_OPS_TD

include "ir/StrataAttrs.td"

class Strata_CellOp<string mnemonic> : Strata_Op<mnemonic, [Pure]> {
  let assemblyFormat = [{
    $x `,` $h `,` $w `,` $r (`,` $b^)? attr-dict `:`
        functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Strata_GruCellOp : Strata_CellOp<"gru_cell"> {
  let summary = "one time step of a GRU cell (ONNX GRU, SINGA kGRU)";
  let description = [{
    Operands: `x` [N, I], `h` [N, H], `w` [3H, I], `r` [3H, H] and optionally
    `b` [6H] (Wb then Rb; absent means zero). Gate order of the row blocks of
    `w`, `r`, Wb and Rb is z (update), r (reset), h (candidate), as in ONNX.
    With `.` the elementwise product, sigmoid(v) = 1 / (1 + e^-v):

    ```
    z  = sigmoid(x Wz^T + h Rz^T + Wbz + Rbz)
    r  = sigmoid(x Wr^T + h Rr^T + Wbr + Rbr)
    h~ = tanh(x Wh^T + (r . h) Rh^T + Rbh + Wbh)     linear_before_reset = false
    h~ = tanh(x Wh^T + r . (h Rh^T + Rbh) + Wbh)     linear_before_reset = true
    h' = (1 - z) . h~ + z . h
    ```

    Result: h' [N, H]. If `clip` is set, every gate pre-activation (the
    argument of sigmoid / tanh above) is first clamped to [-clip, clip]
    (ONNX `clip`). Activations are ONNX's defaults (sigmoid, tanh); frontends
    reject others. SINGA's kGRU is `linear_before_reset = true` with its gate
    biases as Wb and Rb = 0.
  }];
  let arguments = (ins Strata_FloatTensor:$x, Strata_FloatTensor:$h,
      Strata_FloatTensor:$w, Strata_FloatTensor:$r,
      Optional<Strata_FloatTensor>:$b,
      DefaultValuedAttr<BoolAttr, "false">:$linear_before_reset,
      OptionalAttr<F64Attr>:$clip);
  let results = (outs Strata_FloatTensor:$h_new);
}

def Strata_LstmCellOp : Strata_CellOp<"lstm_cell"> {
  let summary = "one time step of an LSTM cell without peepholes (ONNX LSTM)";
  let description = [{
    Operands: `x` [N, I], `h` [N, H], `c` [N, H], `w` [4H, I], `r` [4H, H]
    and optionally `b` [8H] (Wb then Rb; absent means zero). Gate order of the
    row blocks is i (input), o (output), f (forget), c (cell), as in ONNX.

    ```
    i  = sigmoid(x Wi^T + h Ri^T + Wbi + Rbi)
    o  = sigmoid(x Wo^T + h Ro^T + Wbo + Rbo)
    f  = sigmoid(x Wf^T + h Rf^T + Wbf + Rbf)
    c~ = tanh(x Wc^T + h Rc^T + Wbc + Rbc)
    c' = f . c + i . c~
    h' = o . tanh(c')
    ```

    Results: (h' [N, H], c' [N, H]). If `clip` is set, the four gate
    pre-activations (not c') are clamped to [-clip, clip] first. No
    peepholes and no `input_forget` coupling: frontends reject ONNX LSTMs
    that use them, or non-default activations.
  }];
  let arguments = (ins Strata_FloatTensor:$x, Strata_FloatTensor:$h,
      Strata_FloatTensor:$c, Strata_FloatTensor:$w, Strata_FloatTensor:$r,
      Optional<Strata_FloatTensor>:$b, OptionalAttr<F64Attr>:$clip);
  let results = (outs Strata_FloatTensor:$h_new, Strata_FloatTensor:$c_new);
  let assemblyFormat = [{
    $x `,` $h `,` $c `,` $w `,` $r (`,` $b^)? attr-dict `:`
        functional-type(operands, results)
  }];
}

def Strata_RnnCellOp : Strata_CellOp<"rnn_cell"> {
  let summary = "one time step of a vanilla (Elman) RNN cell (ONNX RNN)";
  let description = [{
    Operands: `x` [N, I], `h` [N, H], `w` [H, I], `r` [H, H] and optionally
    `b` [2H] (Wb then Rb; absent means zero).

    ```
    h' = tanh(x W^T + h R^T + Wb + Rb)
    ```

    Result: h' [N, H]. If `clip` is set, the pre-activation is clamped to
    [-clip, clip] first. The activation is ONNX's default, tanh.
  }];
  let arguments = (ins Strata_FloatTensor:$x, Strata_FloatTensor:$h,
      Strata_FloatTensor:$w, Strata_FloatTensor:$r,
      Optional<Strata_FloatTensor>:$b, OptionalAttr<F64Attr>:$clip);
  let results = (outs Strata_FloatTensor:$h_new);
}

#endif // STRATA_RECURRENT_OPS_TD
