#!/usr/bin/env python3
"""Writes the small ONNX models of the `stratac --train` tests.

The .onnx files next to this script are its checked-in output; run it again
(with the test venv, `.cache/venv/bin/python`, onnx 1.23.2 and numpy) after
changing it:

    .cache/venv/bin/python test/frontends/onnx/Inputs/make-training-models.py

Weights come from a fixed numpy seed; IR version 8 and opset 17 keep the
models within what the frontend's libonnx checker knows.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = np.random.default_rng(20261123)


def weight(name, shape, dtype=np.float32):
    fan_in = shape[-1] if len(shape) > 1 else shape[0]
    values = RNG.uniform(-1, 1, shape) / np.sqrt(fan_in)
    return numpy_helper.from_array(values.astype(dtype), name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def save(name, nodes, inputs, outputs, initializers):
    graph = helper.make_graph(nodes, name.replace("-", "_"), inputs, outputs,
                              initializers)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="strata-tests")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))


def f32(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


# An MLP 20 -> 16 -> 5 on a batch of 8: Gemm + Relu, then MatMul + Add. Two
# outputs: the logits and their softmax.
save("train-mlp", [
    helper.make_node("Gemm", ["x", "W1", "b1"], ["h"], transB=1),
    helper.make_node("Relu", ["h"], ["a"]),
    helper.make_node("MatMul", ["a", "W2"], ["z"]),
    helper.make_node("Add", ["z", "b2"], ["logits"]),
    helper.make_node("Softmax", ["logits"], ["probs"], axis=1),
], [f32("x", [8, 20])], [f32("logits", [8, 5]), f32("probs", [8, 5])], [
    weight("W1", [16, 20]),
    weight("b1", [16]),
    weight("W2", [16, 5]),
    weight("b2", [5]),
])


def recurrent(name, op, gates, dtype, elem):
    # seq 6, batch 4, input 5, hidden 8; the last hidden state (Y_h, [1, 4,
    # 8]) reshaped to [4, 8] and a Gemm to 3 classes.
    seq, batch, inp, hidden, classes = 6, 4, 5, 8, 3
    outputs = ["", "Y_h"] + ([""] if op == "LSTM" else [])
    save(name, [
        helper.make_node(op, ["x", "W", "R", "B"], outputs,
                         hidden_size=hidden),
        helper.make_node("Reshape", ["Y_h", "shape"], ["h"]),
        helper.make_node("Gemm", ["h", "Wc", "bc"], ["logits"]),
    ], [f32("x", [seq, batch, inp], elem)],
        [f32("logits", [batch, classes], elem)], [
        weight("W", [1, gates * hidden, inp], dtype),
        weight("R", [1, gates * hidden, hidden], dtype),
        weight("B", [1, 2 * gates * hidden], dtype),
        ints("shape", [batch, hidden]),
        weight("Wc", [hidden, classes], dtype),
        weight("bc", [classes], dtype),
    ])


recurrent("train-lstm", "LSTM", 4, np.float32, TensorProto.FLOAT)
recurrent("train-gru", "GRU", 3, np.float32, TensorProto.FLOAT)
# The gradient check (test/unit/training/OnnxTrainingGradientTest.cpp)
# compares with central differences in float64.
recurrent("train-lstm-f64", "LSTM", 4, np.float64, TensorProto.DOUBLE)

# A model that computes its own scalar loss (--loss=none): mean((x W)^2).
save("train-scalar-loss", [
    helper.make_node("MatMul", ["x", "W"], ["y"]),
    helper.make_node("Mul", ["y", "y"], ["sq"]),
    helper.make_node("ReduceMean", ["sq"], ["loss"], keepdims=0),
], [f32("x", [4, 6])], [f32("loss", [])], [weight("W", [6, 3])])

# Error cases: a 3-D output (no softmax cross-entropy), and no initializers
# (nothing to train).
save("train-3d-output", [
    helper.make_node("MatMul", ["x", "W"], ["y"]),
], [f32("x", [2, 3, 4])], [f32("y", [2, 3, 5])], [weight("W", [4, 5])])
save("train-no-initializers", [
    helper.make_node("Relu", ["x"], ["y"]),
], [f32("x", [2, 3])], [f32("y", [2, 3])], [])
