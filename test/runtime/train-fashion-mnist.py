#!/usr/bin/env python3
"""train-fashion-mnist.py BIN_DIR IDX_DIR CONF STEPS TARGET [WORK_DIR]:
trains a SINGA job on Fashion-MNIST end to end through the compiled path
(strata-data converts the idx files to kvfile records, stratac compiles the
job to an artifact, strata-run trains it for STEPS steps and tests it on the
10,000 test images). TARGET is the least test accuracy (a number), or
loss:R: the first displayed train loss must be at least R times the last
(models without an accuracy, like the RBM's reconstruction error), and the
final test loss must be positive and below the first train loss. Prints
the result and the wall time of compiling and of training."""
import pathlib
import re
import subprocess
import sys
import tempfile
import time

bin_dir, idx, conf, steps, want = sys.argv[1:6]
work = pathlib.Path(sys.argv[6] if len(sys.argv) > 6 else tempfile.mkdtemp())
data = work / "fashion-mnist"
data.mkdir(parents=True, exist_ok=True)


def run(*cmd, **kw):
    r = subprocess.run([str(c) for c in cmd], text=True, capture_output=True, **kw)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        sys.exit(f"{cmd[0]} exited {r.returncode}")
    return r


for part, prefix in (("train", "train"), ("test", "t10k")):
    if not (data / f"{part}.bin").exists():
        run(f"{bin_dir}/strata-data", "convert", "--from", "idx",
            "--images", f"{idx}/{prefix}-images-idx3-ubyte.gz",
            "--labels", f"{idx}/{prefix}-labels-idx1-ubyte.gz",
            "-o", data / f"{part}.bin")
artifact = work / "model.strata"
t0 = time.time()
run(f"{bin_dir}/stratac", conf, "-o", artifact)
t1 = time.time()
r = run(f"{bin_dir}/strata-run", "train", artifact, "--steps", steps,
        "--data-dir", work, "--workspace", work / "ws", "--test-freq", "0")
t2 = time.time()
sys.stdout.write(r.stdout)
if want.startswith("loss:"):
    rows = [line.split(",") for line in open(work / "ws" / "metrics.csv")][1:]
    losses = [float(row[2]) for row in rows if row[1] == "train"]
    ratio = float(want[5:])
    print(f"{pathlib.Path(conf).name}: {steps} steps, train loss "
          f"{losses[0]:.4f} -> {losses[-1]:.4f}; compile {t1 - t0:.1f} s, "
          f"train + test {t2 - t1:.1f} s")
    if not losses[0] >= ratio * losses[-1]:
        sys.exit(f"the loss fell less than {ratio}x")
    # The final test reports a loss too (an RBM: the mean-field
    # reconstruction error), below the first train window's.
    tests = [float(row[2]) for row in rows if row[1] == "test"]
    if not tests or not 0 < tests[-1] < losses[0]:
        sys.exit(f"test loss {tests[-1:]} is not in (0, {losses[0]})")
    print(f"test loss {tests[-1]:.4f}")
    sys.exit(0)
m = re.search(r"test accuracy ([0-9.]+)", r.stdout)
if not m:
    sys.exit("no test accuracy in strata-run's output")
acc = float(m.group(1))
print(f"{pathlib.Path(conf).name}: {steps} steps, test accuracy {acc:.4f}; "
      f"compile {t1 - t0:.1f} s, train + test {t2 - t1:.1f} s")
if acc < float(want):
    sys.exit(f"test accuracy {acc:.4f} < {want}")
