import os
import subprocess
import sys

from bench import cpu

BUSY = """
import time
end = time.process_time() + 0.3
while time.process_time() < end:
    pass
print("busy done", flush=True)
time.sleep(30)
"""


def test_server_seconds_counts_a_busy_child_of_the_root():
    child = subprocess.Popen([sys.executable, "-c", BUSY], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "busy done"
        alone = cpu.server_seconds(child.pid)
        with_parent = cpu.server_seconds(os.getpid())
    finally:
        child.kill()
        child.wait()
    assert alone >= 0.3
    assert with_parent >= alone


def test_cpu_used_between_readings_counts_new_processes_and_leaves_out_ended_ones():
    before = {1: 10.0, 2: 5.0, 3: 7.0}
    after = {1: 10.5, 2: 5.25, 4: 0.125}

    assert cpu.used_between(before, after) == 0.875
