"""The GIL is released while the engine runs, and SIGINT (Ctrl-C) stops a run where it got to,
raising KeyboardInterrupt; the model then runs on from there."""

import os
import signal
import subprocess
import sys
import threading
import time
import unittest

import syn

# Some 10^7 synaptic events per simulated second: 100 s would take minutes.
BUSY = """
receptor E { decay = 2 ms; reversal = 0 mV }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population p = 200 x LIF
train bg = 20 x poisson 2 kHz
connect bg -> p via E weight 0.1 mV delay 1 ms
"""


class interruption_test(unittest.TestCase):
    def test_sigint_stops_a_run_and_other_threads_go_on(self):
        model = syn.Model.from_text(BUSY, seed=1)
        ticks = []
        done = threading.Event()

        def tick():
            while not done.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.01)

        ticker = threading.Thread(target=tick)
        ticker.start()
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        started = time.monotonic()
        timer.start()
        try:
            with self.assertRaises(KeyboardInterrupt):
                model.run("100 s")
        finally:
            done.set()
            ticker.join()
            timer.cancel()
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, 5.0)
        self.assertGreater(model.time, 0.0)
        self.assertLess(model.time, 100000.0)
        # The other thread ran while the engine did: it holds no GIL.
        self.assertGreaterEqual(sum(1 for t in ticks if started + 0.05 < t < started + 0.3), 3)
        stopped = model.time
        model.run("1 ms")
        self.assertEqual(model.time, stopped + 1.0)

    def test_a_handler_of_python_is_kept(self):
        # A program that handles SIGINT itself gets its handler called, not KeyboardInterrupt.
        calls = []
        before = signal.signal(signal.SIGINT, lambda *_: calls.append(1))
        try:
            model = syn.Model.from_text(BUSY, seed=1)
            timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
            timer.start()
            model.run("100 s")
            timer.cancel()
        finally:
            signal.signal(signal.SIGINT, before)
        self.assertEqual(calls, [1])
        self.assertLess(model.time, 100000.0)

    def test_one_call_at_a_time(self):
        model = syn.Model.from_text(BUSY, seed=1)
        running = threading.Thread(target=model.run, args=("50 ms",))
        running.start()
        try:
            # Any call while the run holds the model is refused.
            with self.assertRaises(RuntimeError):
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    model.time
                    time.sleep(0.001)
        finally:
            running.join()
        self.assertEqual(model.time, 50.0)

    def test_an_ignored_sigint_stops_nothing(self):
        before = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            model = syn.Model.from_text(BUSY, seed=1)
            timer = threading.Timer(0.02, os.kill, (os.getpid(), signal.SIGINT))
            timer.start()
            model.run("20 ms")
            timer.join()
        finally:
            signal.signal(signal.SIGINT, before)
        self.assertEqual(model.time, 20.0)

    def test_sigint_left_to_the_system_ends_the_process(self):
        program = (f"import os, signal, threading, syn\n"
                   f"signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
                   f"model = syn.Model.from_text({BUSY!r})\n"
                   f"threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
                   f"model.run('100 s')\n")
        done = subprocess.run([sys.executable, "-c", program], timeout=60, check=False)
        self.assertEqual(done.returncode, -signal.SIGINT)


if __name__ == "__main__":
    unittest.main()
