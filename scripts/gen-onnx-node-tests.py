#!/usr/bin/env python3
"""Writes the ONNX node tests of the installed onnx package, and a second set
checked by onnx.reference on fresh random inputs.

  gen-onnx-node-tests.py OUT

OUT/node/<test>/    model.onnx + test_data_set_N/{input,output}_K.pb, the
                    same layout as onnx's own backend test data (the pip
                    package ships the generators, not the files).
OUT/oracle/<test>/  the same model with one data set whose float inputs are
                    redrawn uniformly over each input's original range
                    (integer, bool and whole-number float inputs, which are
                    often indices or sizes, are kept) and whose outputs come from onnx.reference. When
                    new inputs change an output's shape or onnx.reference
                    fails, the original inputs are used, so the set is still
                    an independent recomputation of the expected outputs.
                    Tests onnx.reference cannot run at all are left out.
Only tensor inputs and outputs are written for the oracle set.
"""
import os
import sys
import zlib

import numpy as np
import onnx
from onnx import numpy_helper
from onnx.backend.test.case import node as node_cases
from onnx.reference import ReferenceEvaluator


def to_proto(value, name):
    if isinstance(value, onnx.TensorProto):
        return value
    return numpy_helper.from_array(np.asarray(value), name)


def write_set(directory, index, inputs, outputs, graph):
    d = os.path.join(directory, f"test_data_set_{index}")
    os.makedirs(d, exist_ok=True)
    for kind, values, infos in (("input", inputs, graph.input),
                                ("output", outputs, graph.output)):
        for j, value in enumerate(values):
            info = infos[j]
            if info.type.HasField("sequence_type"):
                proto = numpy_helper.from_list(value, info.name)
            elif info.type.HasField("optional_type"):
                proto = numpy_helper.from_optional(value, info.name)
            elif info.type.HasField("map_type"):
                proto = numpy_helper.from_dict(value, info.name)
            else:
                proto = to_proto(value, info.name)
            with open(os.path.join(d, f"{kind}_{j}.pb"), "wb") as f:
                f.write(proto.SerializeToString())


def is_tensor_graph(graph):
    return all(v.type.HasField("tensor_type")
               for v in list(graph.input) + list(graph.output))


def redraw(name, inputs):
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    out = []
    for x in inputs:
        a = np.asarray(x)
        # Float tensors whose values are all whole numbers often act as
        # indices, sizes or exponents (OneHot's indices, Pow's exponent):
        # they are kept as they are.
        if (a.dtype in (np.float16, np.float32, np.float64) and a.size > 1
                and not np.all(np.equal(np.mod(a, 1), 0))):
            finite = a[np.isfinite(a)]
            lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0, 0)
            if hi > lo:
                a = rng.uniform(lo, hi, a.shape).astype(a.dtype)
        out.append(a)
    return out


def oracle_outputs(model, inputs):
    sess = ReferenceEvaluator(model)
    feeds = {model.graph.input[i].name: v for i, v in enumerate(inputs)}
    return sess.run(None, feeds)


def main():
    out = sys.argv[1]
    cases = node_cases.collect_testcases()
    written = oracle = 0
    np.seterr(all="ignore")
    for case in cases:
        d = os.path.join(out, "node", case.name)
        os.makedirs(d, exist_ok=True)
        model_bytes = case.model.SerializeToString()
        with open(os.path.join(d, "model.onnx"), "wb") as f:
            f.write(model_bytes)
        for i, (inputs, outputs) in enumerate(case.data_sets):
            write_set(d, i, inputs, outputs, case.model.graph)
        written += 1

        if case.name.endswith("_expanded") or not is_tensor_graph(case.model.graph):
            continue
        if not case.data_sets or any(isinstance(x, onnx.TensorProto)
                                     for x in case.data_sets[0][0]):
            continue
        inputs, expected = case.data_sets[0]
        try:
            fresh = redraw(case.name, inputs)
            got = oracle_outputs(case.model, fresh)
            if [np.shape(g) for g in got] != [np.shape(e) for e in expected]:
                raise ValueError("shape changed")
        except Exception:
            try:
                fresh = [np.asarray(x) for x in inputs]
                got = oracle_outputs(case.model, fresh)
            except Exception:
                continue
        od = os.path.join(out, "oracle", case.name)
        os.makedirs(od, exist_ok=True)
        with open(os.path.join(od, "model.onnx"), "wb") as f:
            f.write(model_bytes)
        write_set(od, 0, fresh, got, case.model.graph)
        oracle += 1
    print(f"gen-onnx-node-tests: {written} node tests, {oracle} oracle tests "
          f"(onnx {onnx.__version__}) in {out}")


if __name__ == "__main__":
    main()
