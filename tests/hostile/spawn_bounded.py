"""Run one command with rlimits and report what it cost, as JSON on stdout.

Used by hostile_helpers through ``python -S`` so that this process stays
small: a forked child's peak RSS (``ru_maxrss``) starts from the RSS of the
process that forked it, so forking journeylint straight from pytest would
count pytest's memory as journeylint's.

argv[1] is a JSON object: command, cwd, stdout and stderr file paths,
hang_seconds, as_limit, cpu_limit, unprivileged.
"""
import json
import os
import resource
import subprocess
import sys
import time

_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def main():
    spec = json.loads(sys.argv[1])

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (spec["as_limit"], spec["as_limit"]))
        resource.setrlimit(resource.RLIMIT_CPU, (spec["cpu_limit"], spec["cpu_limit"]))
        if spec["unprivileged"] and os.geteuid() == 0:
            # CI runs as root, who can read a file of mode 000; without these
            # two capabilities (gone from the bounding set, so gone after
            # exec) root reads as a user does
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
                if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    with open(spec["stdout"], "wb") as out, open(spec["stderr"], "wb") as err:
        started = time.monotonic()
        process = subprocess.Popen(spec["command"], cwd=spec["cwd"], stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=err, preexec_fn=limit)
        deadline = started + spec["hang_seconds"]
        hung = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                hung = True
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    json.dump({
        "returncode": process.returncode,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "wall_seconds": wall,
        "max_rss_mb": usage.ru_maxrss / 1024,
        "hung": hung,
    }, sys.stdout)


if __name__ == "__main__":
    main()
