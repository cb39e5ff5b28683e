"""A small conditional WaveNet (van den Oord et al. 2016) laid out for fast generation.

Layer l (dilation d_l, kernel K) of the residual stack, with x_l its (b, t, R) input:
    z_l  = [x_l[t-(K-1)d_l] … x_l[t-d_l], x_l[t]] @ [tap_l; cur_l] + c_l   (b, t, 2R); c_l = per-layer bias
                                                               from instrument + pitch (global conditioning)
    g_l  = tanh(z_l[:R]) * sigmoid(z_l[R:])                   gated unit, (b, t, R)
    x_l+1 = x_l + g_l @ res_l                                  residual path (no bias: one Gemm in ONNX)
    head = relu(relu([g_0 … g_L-1] @ skip + b) @ hid + b) @ out + b   → logits over 256 mu-law codes
x_0 = embed(previous code). Weights are stored "x @ W" (in, out) so the ONNX graph uses them as they are.

Period tap (the pitch-dependent dilation of Quasi-Periodic WaveNet, Wu et al. 2019): x_0 also gets the
code ONE PERIOD AGO of the requested pitch, T = 16 kHz / f = k + a samples (k whole, a fractional):
    x_0[t] = embed(c[t-1]) + (1 - a)·lag(c[t-k]) + a·lag(c[t-k-1])            (b, R)
so continuing the waveform of the last period (the pitch) is one linear path away. Added because two runs
without it — one plain, one with a sin/cos oscillator at the pitch as local conditioning — generated
unpitched noise after an hour each: the 271-sample receptive field spans two periods, but learning to
copy one period back through the dilated stack did not happen within the CPU budget.

Time since onset (optional, `time_taus`): the receptive field is 17 ms, so without it the network cannot
know how far into the note it is, and struck notes (piano, vibraphone, guitar) came out at a constant level
instead of decaying. Each layer's gate bias also gets time(f(p)), f(p) = exp(-p / (tau · 16 kHz)) for a few
time constants tau, p = the index of the predicted sample since the onset (b, t, F) → (b, t, L, 2R); the
generator carries p in its state. It lowered the held-out NLL but did not make struck notes decay (the model
card has the numbers).

Loudness envelope and velocity (optional, `envelope`): each layer's gate bias also gets envelope(e[t]), e the
note's level at the predicted sample (lstudio.wavenet_data.note_envelope: frame RMS in dB over 60 dB → [0, 1],
10-ms frames, linear between frames), and the global conditioning adds velocity((v − 90) / 37). In training e is the
target note's own envelope (teacher forcing); in the studio it comes from the rendered notes' envelopes (a table
per instrument, pitch and velocity shipped with the model) or from ADSR handles. Why: with only the time since the
onset the network kept every note at a constant level (see the card) — the context shows the level, so the clock
taught it nothing; an explicit envelope, with training inputs sometimes at the wrong level (level augmentation),
makes following the envelope the way to predict the targets. Both start at zero (warm starts stay exact).

K = 4 (not WaveNet's 2): 4 layers of dilation 1, 4, 16, 64 already reach 256 samples (two periods of the
lowest note, C3), and a batch-1 step costs per layer (node overhead), not per tap.

Fast generation (Fast WaveNet, Paine et al. 2016) keeps, per layer, a queue of the last (K-1)·d_l inputs.
All queues live in ONE buffer (b, N, R), N = (K-1)·sum(d_l): layer l owns rows [off_l, off_l + (K-1)d_l),
oldest first.
The taps of every layer are one gather of each segment's oldest row (they are all from the past), and the
update is one gather over [buffer; new rows] that drops each oldest row and appends the new one — two
nodes for any number of layers, which is what makes the ONNX Loop fast (see wavenet_loop.py).
"""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SILENCE = 128  # mu-law code of 0.0; the "previous sample" before a note starts
SR = 16000
VELOCITY_MID, VELOCITY_SCALE = 90.0, 1 / 37  # velocity feature (v - 90) / 37: the data's 50…127 → about −1…1
U_MAX = 1 - 2 ** -12  # noise is clamped here, so the CDF (≈ 1 ± 1e-5 in float32) always exceeds it


class WaveNet(nn.Module):
    def __init__(self, n_instruments: int, n_pitches: int, residual: int = 32, skip: int = 128,
                 dilations: tuple[int, ...] = (1, 4, 16, 64, 1, 4), kernel: int = 4, embed: int = 16,
                 pitch_min: int = 48, time_taus: tuple[float, ...] = (), envelope: bool = False):
        super().__init__()
        R, L, P = residual, len(dilations), kernel - 1
        self.dilations, self.kernel = tuple(int(d) for d in dilations), kernel
        self.config = dict(n_instruments=n_instruments, n_pitches=n_pitches, residual=residual, skip=skip,
                           dilations=list(self.dilations), kernel=kernel, embed=embed, pitch_min=pitch_min,
                           **({"time_taus": [float(x) for x in time_taus]} if time_taus else {}),
                           **({"envelope": True} if envelope else {}))
        self.time_taus = tuple(float(x) for x in time_taus)
        self.pitch_min = pitch_min
        self.embed = nn.Embedding(256, R)
        self.instrument = nn.Embedding(n_instruments, embed)
        self.pitch = nn.Embedding(n_pitches, embed)
        self.cond = nn.Linear(embed, L * 2 * R)  # (e) → per-layer gate biases (L, 2R)
        if time_taus:  # time since onset → per-layer gate biases; zero at first, so warm starts stay exact
            self.time = nn.Linear(len(time_taus), L * 2 * R, bias=False)
            nn.init.zeros_(self.time.weight)
            self.register_buffer("neg_inv_tau", neg_inv_tau(self.time_taus), persistent=False)  # once, not per step
        self.has_envelope = bool(envelope)
        if envelope:  # loudness envelope → per-layer gate biases; velocity → the global embedding; zero at first
            self.envelope = nn.Linear(1, L * 2 * R, bias=False)
            self.velocity = nn.Linear(1, embed, bias=False)
            nn.init.zeros_(self.envelope.weight), nn.init.zeros_(self.velocity.weight)
        self.lag = nn.Embedding(256, R)  # the code one period ago → x_0 (see the module docstring)
        nn.init.zeros_(self.lag.weight)  # starts as the plain WaveNet; warm starts from one stay exact
        self.history = history_len(pitch_min)
        self.tap = nn.Parameter(torch.randn(L, P * R, 2 * R) * (1 / (kernel * R)) ** 0.5)  # on x[t-Pd] … x[t-d]
        self.cur = nn.Parameter(torch.randn(L, R, 2 * R) * (1 / (kernel * R)) ** 0.5)  # on x[t]
        self.res = nn.Parameter(torch.randn(max(L - 1, 1), R, R) * (0.5 / R) ** 0.5)
        self.skip = nn.Linear(L * R, skip)
        self.hid = nn.Linear(skip, skip)
        self.out = nn.Linear(skip, 256)

    @property
    def receptive_field(self) -> int:
        return 1 + (self.kernel - 1) * sum(self.dilations)

    def cond_bias(self, instrument: torch.Tensor, pitch_index: torch.Tensor, velocity: torch.Tensor | None = None) -> torch.Tensor:
        """(b,) instrument index, (b,) pitch − pitchMin[, (b,) MIDI velocity] → (b, L, 2R) per-layer biases."""
        e = self.instrument(instrument) + self.pitch(pitch_index)
        if self.has_envelope:
            v = torch.full((len(e),), float(VELOCITY_MID)) if velocity is None else velocity.float()
            e = e + self.velocity(((v - VELOCITY_MID) * VELOCITY_SCALE)[:, None])
        return self.cond(e).view(len(e), len(self.dilations), -1)

    def time_bias(self, pos: torch.Tensor) -> torch.Tensor:
        """pos (…) sample index since the onset (float or int) → (…, L·2R) gate biases from the features
        exp(-pos / (tau · SR)) (…, F), computed as the graph does: float32, times the negated reciprocal."""
        return self.time(torch.exp(pos.float()[..., None] * self.neg_inv_tau))

    def forward(self, codes: torch.Tensor, instrument: torch.Tensor, pitch_index: torch.Tensor,
                start: torch.Tensor | None = None, env: torch.Tensor | None = None,
                velocity: torch.Tensor | None = None) -> torch.Tensor:
        """Teacher forcing. codes (b, t) int64 inputs (targets shifted right by one; codes[:, 0] is the code
        before the first target) → logits (b, t, 256); start (b,) the sample index of the first target
        since the onset (default 0: the window starts at the onset). Every layer's input is zero-padded on the left, and codes
        before the window are SILENCE, exactly like generation from a zero state (windows that do not start at
        the onset mask their first receptive field, which also covers the period tap). With `envelope`: env (b, t) the
        level of each target (lstudio.wavenet_data.note_envelope), velocity (b,) MIDI."""
        c = self.cond_bias(instrument, pitch_index, velocity)[:, None]  # (b, 1, L, 2R)
        if self.has_envelope:
            c = c + self.envelope(env[..., None].float()).view(*env.shape, *c.shape[2:])  # (b, t, L, 2R)
        if self.time_taus:
            s = torch.zeros(len(codes), device=codes.device) if start is None else start.float()
            pos = s[:, None] + torch.arange(codes.shape[1], device=codes.device)[None]  # (b, t)
            c = c + self.time_bias(pos).view(*pos.shape, *c.shape[2:])  # (b, t, L, 2R)
        k, a = period_taps(pitch_index + self.pitch_min, self.history)  # (b,)
        t, H = codes.shape[1], self.history
        past = F.pad(codes, (H, 0), value=SILENCE)  # (b, H + t): pad index H + i holds codes[:, i] = c[i - 1]
        i1 = H + 1 + torch.arange(t, device=codes.device)[None] - k[:, None]  # c[i - k] for target i
        a = a[:, None, None]
        x = self.embed(codes) + (1 - a) * self.lag(past.gather(1, i1)) + a * self.lag(past.gather(1, i1 - 1))
        R, gates = x.shape[-1], []
        for l, d in enumerate(self.dilations):
            t, P = x.shape[1], self.kernel - 1
            pad = F.pad(x, (0, 0, P * d, 0))  # zeros before the start
            taps = [pad[:, j * d:j * d + t] for j in range(P)]  # x[t - Pd] … x[t - d]
            z = torch.cat(taps + [x], -1) @ torch.cat([self.tap[l], self.cur[l]], 0) + c[:, :, l]
            g = torch.tanh(z[..., :R]) * torch.sigmoid(z[..., R:])
            gates.append(g)
            if l < len(self.dilations) - 1:
                x = x + g @ self.res[l]
        h = F.relu(self.skip(torch.cat(gates, -1)))
        return self.out(F.relu(self.hid(h)))


def queue_layout(dilations: tuple[int, ...], kernel: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Constant gather indices for the packed queue buffer (b, N, R), N = (K-1)·sum(d); row off_l + i of
    layer l's segment holds x_l[t - (K-1)d_l + i]. taps (L·(K-1),): per layer, the rows of x_l[t-(K-1)d_l] …
    x_l[t-d_l] (so a reshape to (b, L, (K-1)R) lines them up with `tap`). update (N,): rows of
    [buffer (N); new (L)] that form the next buffer: each segment without its oldest row, then row N + l."""
    taps, update, off, P = [], [], 0, kernel - 1
    N = P * sum(dilations)
    for l, d in enumerate(dilations):
        taps += [off + j * d for j in range(P)]
        update += list(range(off + 1, off + P * d)) + [N + l]
        off += P * d
    return np.array(taps, np.int64), np.array(update, np.int64), N


class FastGenerator(nn.Module):
    """One generated sample per `step`, with cached queues; the same math and layout as the ONNX Loop body.
    Used for parity with ONNX Runtime, for the PyTorch benchmark and for evaluation."""

    def __init__(self, net: WaveNet, pitch_min: int):
        super().__init__()
        self.net, self.pitch_min = net.eval(), pitch_min
        taps, update, self.N = queue_layout(net.dilations, net.kernel)
        self.register_buffer("taps", torch.from_numpy(taps))
        self.register_buffer("update", torch.from_numpy(update))
        self.register_buffer("decode", torch.from_numpy(mulaw_table()))

    def state_size(self) -> int:
        """Packed state per voice: the queues (N·R floats), then the last `history` codes minus 128 (so the zero
        state is silence), oldest first, then (with time features) the index of the next sample since the onset."""
        return self.N * self.net.embed.embedding_dim + self.net.history + (1 if self.net.time_taus else 0)

    def zero_state(self, b: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The start of a note: empty queues (b, N, R) and a history (b, H) of SILENCE codes."""
        return (torch.zeros(b, self.N, self.net.embed.embedding_dim),
                torch.full((b, self.net.history), SILENCE, dtype=torch.long))

    def start(self, instrument: torch.Tensor, pitch: torch.Tensor, velocity: torch.Tensor | None = None
              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """→ cond (b, L·2R) per-layer biases, the period tap's history rows (b, 2) [H-k, H-k-1] and the weights
        of x_0's three rows (b, 1, 3) [1, 1-a, a] (embed(c[t-1]), lag(c[t-k]), lag(c[t-k-1]))."""
        c = self.net.cond_bias(instrument, pitch - self.pitch_min, velocity)
        H = self.net.history
        k, a = period_taps(pitch, H)
        w = torch.stack([torch.ones_like(a), 1 - a, a], 1)[:, None]
        return c.reshape(len(c), -1), torch.stack([H - k, H - k - 1], 1), w

    def step(self, prev: torch.Tensor, buf: torch.Tensor, hist: torch.Tensor, start: tuple, inv_t: torch.Tensor,
             u: torch.Tensor, pos: torch.Tensor | None = None, env: torch.Tensor | None = None,
             min_p: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """prev (b,) codes, buf (b, N, R), hist (b, H) the last H codes (hist[:, -1] = prev), start =
        self.start(…), inv_t (b, 1) = 1/temperature, u (b, 1) in [0, 1), pos (b,) float the index of this
        sample since the onset (needed with time features), env (b,) this sample's envelope (with `envelope`),
        min_p (b, 1) min-p sampling (see sample()) → (code (b,), next buf, next hist, logits (b, 256))."""
        n, (cond, rows, w) = self.net, start
        if n.time_taus:
            cond = n.time_bias(pos) + cond  # (b, L·2R), summed as the graph sums it
        if n.has_envelope:
            cond = cond + n.envelope(env[:, None])
        L, b = len(n.dilations), len(buf)
        tz = ((buf[:, self.taps].reshape(b, L, 1, -1) @ n.tap).reshape(b, -1) + cond).view(b, L, -1)
        rows3 = torch.cat([n.embed(prev)[:, None], n.lag(hist.gather(1, rows))], 1)  # (b, 3, R)
        x, R, xs, gates = (w @ rows3)[:, 0], buf.shape[-1], [], []  # one weighted sum, as the graph's MatMul
        for l in range(len(n.dilations)):
            z = x @ n.cur[l] + tz[:, l]
            g = torch.tanh(z[:, :R]) * torch.sigmoid(z[:, R:])
            xs.append(x), gates.append(g)
            if l < len(n.dilations) - 1:
                x = x + g @ n.res[l]
        logits = n.out(F.relu(n.hid(F.relu(n.skip(torch.cat(gates, 1))))))
        code = sample(logits, inv_t, u, min_p)
        buf = torch.cat([buf, torch.stack(xs, 1)], 1)[:, self.update]
        return code, buf, torch.cat([hist[:, 1:], code[:, None]], 1), logits

    @torch.no_grad()
    def generate(self, instrument: torch.Tensor, pitch: torch.Tensor, temperature: torch.Tensor,
                 noise: torch.Tensor, prev: torch.Tensor | None = None, state: torch.Tensor | None = None,
                 velocity: torch.Tensor | None = None, envelope: torch.Tensor | None = None,
                 min_p: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The ONNX graph's signature: noise (b, chunk) → audio (b, chunk), prev_out (b,), state_out (b, S);
        with `envelope` also velocity (b,) MIDI and envelope (b, chunk) (the level of each sample, 0…1); min_p (b,)
        for a graph built with it (min-p sampling)."""
        b, R, H = len(instrument), self.net.embed.embedding_dim, self.net.history
        prev = torch.full((b,), SILENCE, dtype=torch.long) if prev is None else prev
        state = torch.zeros(b, self.state_size()) if state is None else state
        T = 1 if self.net.time_taus else 0  # the position slot at the end
        pos = state[:, -1] if T else None
        state = state[:, :state.shape[1] - T]
        buf, hist = state[:, :-H].reshape(b, self.N, R), (state[:, -H:] + SILENCE).long()
        hist = torch.cat([hist[:, :-1], prev[:, None]], 1)  # the newest history entry is the previous code
        start, inv_t, codes = self.start(instrument, pitch, velocity), 1 / temperature.view(b, 1), []
        min_p = None if min_p is None else min_p.view(b, 1)
        noise = noise.clamp(max=U_MAX)
        for i in range(noise.shape[1]):
            prev, buf, hist, _ = self.step(prev, buf, hist, start, inv_t, noise[:, i:i + 1], None if pos is None else pos + i,
                                           None if envelope is None else envelope[:, i], min_p)
            codes.append(prev)
        state = torch.cat([buf.reshape(b, -1), (hist - SILENCE).float()] + ([pos[:, None] + noise.shape[1]] if T else []), 1)
        return self.decode[torch.stack(codes, 1)], prev, state


def history_len(pitch_min: int) -> int:
    """Codes the period tap keeps: one period of the lowest pitch (k + a samples) needs c[t-k-1]."""
    return int(math.floor(16000.0 / (440.0 * 2 ** ((pitch_min - 69) / 12)))) + 2


def period_taps(pitch: torch.Tensor, history: int) -> tuple[torch.Tensor, torch.Tensor]:
    """MIDI pitch (…) int64 → (k (…) int64, a (…) float32), one period 16 kHz / f = k + a samples, computed in
    float64 (the ONNX graph gets these as tables); k is clamped to [1, history - 1] for pitches below the range."""
    T = 16000.0 / (440.0 * torch.pow(2.0, (pitch.double() - 69) / 12))
    k = torch.floor(T).clamp(1, history - 1)
    return k.long(), (T - k).clamp(0, 1).float()


def neg_inv_tau(taus: tuple[float, ...]) -> torch.Tensor:
    return torch.tensor([-1.0 / (t * SR) for t in taus], dtype=torch.float32)


def sample(logits: torch.Tensor, inv_t: torch.Tensor, u: torch.Tensor, min_p: torch.Tensor | None = None) -> torch.Tensor:
    """Inverse-CDF sampling: the number of CDF entries below u, i.e. the first code whose CDF exceeds u.
    min_p (b, 1) (min-p sampling, a sharpening of the distribution's tail): codes whose probability is below
    min_p × the most likely code's are dropped and u is scaled by what is left (the same as renormalising)."""
    p = torch.softmax(logits * inv_t, -1)
    if min_p is not None:
        p = torch.where(p < p.max(-1, keepdim=True).values * min_p, torch.zeros_like(p), p)
        u = u * p.sum(-1, keepdim=True)
    cdf = torch.cumsum(p, -1)
    return (cdf < u).long().sum(-1).clamp(max=255)  # clamp: never reached with u <= U_MAX


def mulaw_table() -> np.ndarray:
    from lstudio.nsynth_data import mulaw_decode
    return mulaw_decode(np.arange(256))
