"""One yosys run of a script ending in `sat ... -prove...`, as prove.py and bmc.py read it.

run(yosys, script_path, log_path, timeout) -> (status, text): status "holds"
(the SAT proof found no model), "fails" (it found one: text is the log, with
the model), or "error" (yosys missing, past the timeout, or stopped on an
error: text is one reason, never a traceback).
"""
import os
import subprocess


def run(yosys, script_path, log_path, timeout):
    try:
        p = subprocess.run([yosys, "-q", "-l", log_path, script_path], capture_output=True, text=True, timeout=timeout)
    except OSError as e:
        return "error", f"cannot run yosys {yosys!r}: {e.strerror}"
    except subprocess.TimeoutExpired:
        return "error", f"yosys did not finish within --timeout {timeout} s"
    text = open(log_path).read() if os.path.exists(log_path) else ""
    if "SAT proof finished - no model found: SUCCESS!" in text and p.returncode == 0:
        return "holds", text
    if "SAT proof finished - model found: FAIL!" in text:
        return "fails", text
    errors = list(dict.fromkeys(l for l in (text + p.stderr).splitlines() if "ERROR" in l))
    return "error", "\n".join(errors) or (p.stderr.strip() or "yosys failed without a message")
