#!/usr/bin/python3
"""The peer of examples/brette_coba.syn in Brian2: the COBA network of Brette et al. 2007
(J Comput Neurosci 23:349, Appendix 2, benchmark 1), the network of Vogels & Abbott 2005.
4000 leaky integrate-and-fire cells (3200 excitatory, 800 inhibitory): C = 200 pF, leak 10 nS
(tau_m 20 ms), rest -60 mV, threshold -50 mV, reset -60 mV, refractory 5 ms (V held, the
conductances still evolving and still receiving input), V0 uniform in [-60, -50] mV.
Conductance synapses, each input a jump of an exponentially decaying conductance: excitatory
6 nS, reversal 0 mV, tau 5 ms; inhibitory 67 nS, reversal -80 mV, tau 10 ms. Every ordered pair
connected with probability 0.02 (autapses allowed), delay 0.1 ms. 1000 Poisson sources at
100 Hz during the first 50 ms, each connected to each cell with probability 0.02 (6 nS, delay
0.1 ms); the network then sustains itself.
Clock-driven (dt 0.1 ms by default), forward Euler as Brian's own COBA example, spike times on
the grid, runtime device (Cython).
--vabenchmarks takes instead the parameters of PyNN's examples/VAbenchmarks.py COBA, the peer
of examples/vabenchmarks_coba.syn: weights 4 and 51 nS, delays 0.2 ms, and a kick of 20 Poisson
sources at 100 Hz for 50 ms, each reaching each cell with probability 0.01 through 100 nS.
Usage: /usr/bin/python3 brette_coba_brian2.py --T 1 [--dt 0.1] [--seed 1] [--vabenchmarks]
"""
import argparse, time, warnings
warnings.filterwarnings('ignore')
import numpy as np
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, PoissonGroup, Network, defaultclock,
                    ms, mV, nS, pF, Hz, second, prefs, seed)
import brian2
brian2.BrianLogger.log_level_error()

ap = argparse.ArgumentParser()
ap.add_argument('--T', type=float, default=1.0, help='biological time [s]')
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--dt', type=float, default=0.1, help='ms')
ap.add_argument('--method', default='euler',
                help="Brian2's integrator: euler (as Brian's COBA example), rk4, ...")
ap.add_argument('--vabenchmarks', action='store_true',
                help="the parameters of PyNN's examples/VAbenchmarks.py COBA")
a = ap.parse_args()

prefs.codegen.target = 'cython'
seed(a.seed)
defaultclock.dt = a.dt * ms

NE, NI = 3200, 800
Cm, gl = 200 * pF, 10 * nS                        # tau_m = Cm / gl = 20 ms
El, Vt, Vr, tref = -60 * mV, -50 * mV, -60 * mV, 5 * ms
Ee, Ei, taue, taui = 0 * mV, -80 * mV, 5 * ms, 10 * ms
we, wi, p, D = 6 * nS, 67 * nS, 0.02, 0.1 * ms
kick_n, kick_p, kick_w = 1000, p, we
if a.vabenchmarks:
    we, wi, D = 4 * nS, 51 * nS, 0.2 * ms
    kick_n, kick_p, kick_w = 20, 0.01, 100 * nS

eqs = '''dv/dt = (gl*(El - v) + ge*(Ee - v) + gi*(Ei - v))/Cm : volt (unless refractory)
         dge/dt = -ge/taue : siemens
         dgi/dt = -gi/taui : siemens'''
t0 = time.time()
P = NeuronGroup(NE + NI, eqs, threshold='v >= Vt', reset='v = Vr', refractory=tref,
                method=a.method)
P.v = 'Vr + rand()*(Vt - Vr)'
Ce = Synapses(P, P, on_pre='ge_post += we', delay=D)
Ci = Synapses(P, P, on_pre='gi_post += wi', delay=D)
Ce.connect(condition=f'i < {NE}', p=p)
Ci.connect(condition=f'i >= {NE}', p=p)
kick = PoissonGroup(kick_n, rates='100*Hz*(t < 50*ms)')
Ck = Synapses(kick, P, on_pre='ge_post += kick_w', delay=D)
Ck.connect(p=kick_p)
M = SpikeMonitor(P)
net = Network(P, Ce, Ci, kick, Ck, M)
t1 = time.time()
net.run(a.T * second)
t2 = time.time()
t = np.asarray(M.t / ms)
n = NE + NI
print(f'synapses {len(Ce) + len(Ci)} (+ {len(Ck)} from the kick), {a.method}, '
      f'dt {a.dt:g} ms, seed {a.seed}')
print(f'build {t1 - t0:.1f} s, run {t2 - t1:.1f} s')
print(f'spikes {len(t)}, mean rate {len(t) / n / a.T:.3f} Hz over {a.T * 1000:g} ms')
for lo in range(0, int(a.T * 1000), 100):
    k = np.count_nonzero((t >= lo) & (t < lo + 100))
    print(f'  [{lo}, {lo + 100}) ms: {k / n / 0.1:.2f} Hz')
