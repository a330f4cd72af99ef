#!/usr/bin/env python3
"""infer-check.py for tools/strata-run-infer.test (needs onnx and numpy):
  make DIR         writes DIR/mlp.onnx (x [N, 5] -> logits = x W + b,
                   probs = softmax(logits); N dynamic) and DIR/x.npy [3, 5]
  check DIR        compares DIR/p.npy and DIR/logits.pb with numpy's values
  same A.pb B.pb   the two TensorProto files hold the same tensor (1e-6)
  wrong-shape F    writes a [2, 5] f32 .npy file"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

rng = np.random.default_rng(7)
W = rng.uniform(-1, 1, (5, 4)).astype(np.float32)
B = rng.uniform(-1, 1, (4,)).astype(np.float32)
X = rng.uniform(-1, 1, (3, 5)).astype(np.float32)
cmd = sys.argv[1]
if cmd == "make":
    d = sys.argv[2]
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["xw"]),
         helper.make_node("Add", ["xw", "B"], ["logits"]),
         helper.make_node("Softmax", ["logits"], ["probs"], axis=1)],
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 5])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["N", 4]),
         helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 4])],
        [numpy_helper.from_array(W, "W"), numpy_helper.from_array(B, "B")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, f"{d}/mlp.onnx")
    np.save(f"{d}/x.npy", X)
elif cmd == "check":
    d = sys.argv[2]
    logits = X.astype(np.float64) @ W + B
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    got_p = np.load(f"{d}/p.npy")
    got_l = numpy_helper.to_array(onnx.load_tensor(f"{d}/logits.pb"))
    for name, got, want in (("probs", got_p, probs), ("logits", got_l, logits)):
        assert got.dtype == np.float32 and got.shape == want.shape, (name, got.dtype, got.shape)
        err = np.abs(got - want).max()
        assert err < 1e-5, f"{name}: max error {err}"
    print("outputs match numpy")
elif cmd == "same":
    a = numpy_helper.to_array(onnx.load_tensor(sys.argv[2]))
    b = numpy_helper.to_array(onnx.load_tensor(sys.argv[3]))
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape)
    assert np.abs(a - b).max() <= 1e-6
    print("same tensor")
elif cmd == "wrong-shape":
    np.save(sys.argv[2], np.zeros((2, 5), np.float32))
