#!/usr/bin/env python3
"""kill-during-checkpoint.py ARTIFACT DATA_DIR WORKSPACE: trains with a
checkpoint every 20 steps, stops the writer in the middle of writing
step-40.ckpt (the runtime's STRATA_TEST_PAUSE_WRITING hook: the temporary
file holds only the header), kills the process with SIGKILL there, and checks
that the previous checkpoint is intact: step-20.ckpt is the newest, strata-run
test loads it, and training resumes from it."""
import os
import pathlib
import signal
import subprocess
import sys

artifact, data, ws = sys.argv[1:4]
ckpt = pathlib.Path(ws) / "checkpoints"
env = dict(os.environ, STRATA_TEST_PAUSE_WRITING="step-40.ckpt")
proc = subprocess.Popen(
    ["strata-run", "train", artifact, "--data-dir", data, "--workspace", ws,
     "--checkpoint-freq", "20"],
    stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
paused = False
for line in proc.stderr:
    if line.startswith("strata: test pause while writing"):
        paused = True
        break
if not paused:
    proc.wait()
    sys.exit(f"strata-run exited {proc.returncode} without pausing")
temps = [p.name for p in ckpt.iterdir() if ".tmp." in p.name]
if not temps:
    sys.exit("no half-written temporary checkpoint while paused")
proc.send_signal(signal.SIGKILL)
proc.wait()
if proc.returncode != -signal.SIGKILL:
    sys.exit(f"strata-run ended with {proc.returncode}, not SIGKILL")
names = sorted(p.name for p in ckpt.iterdir() if p.name.endswith(".ckpt"))
print("after SIGKILL:", " ".join(names), "+", len(temps), "temporary")
if names != ["step-20.ckpt"]:
    sys.exit(f"expected only step-20.ckpt, found {names}")
for cmd in (["strata-run", "test", artifact, "--data-dir", data,
             "--workspace", ws],
            ["strata-run", "train", artifact, "--data-dir", data,
             "--workspace", ws, "--resume"]):
    r = subprocess.run(cmd, capture_output=True, text=True)
    sys.stdout.write(r.stderr + r.stdout)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {r.returncode}")
