"""Numeric checks on answers written the way model replies write them.

Every case is a part (its prompt and numeric checks) and a reply, labelled with the verdict a
careful grader gives each check: P passed, F failed (or partial), U unaddressed (the reply never
answers that ask), X anything but passed. The table is graded with `run_checks`; a false pass
(anything but P graded passed) is never allowed, and agreement must stay at or above 95%.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from psetbench.checks import run_checks
from psetbench.problemset import NumericCheck, Part
from psetbench.types import CheckResult, CheckStatus

AGREEMENT_FLOOR = 0.95


def c(label: str, answer: float | str, unit: str | None = None, **kw: Any) -> NumericCheck:
    return NumericCheck(kind="numeric", label=label, answer=answer, unit=unit, **kw)


@dataclass(frozen=True)
class Case:
    name: str
    prompt: str
    checks: tuple[NumericCheck, ...]
    reply: str
    verdicts: str  # one letter per check: P, F, U or X


def case(name: str, prompt: str, checks: list[NumericCheck], reply: str, verdicts: str) -> Case:
    assert len(verdicts) == len(checks), name
    return Case(name, prompt, tuple(checks), reply, verdicts)


def single(name: str, check: NumericCheck, reply: str, verdict: str,
           prompt: str = "Compute it and state the result with its unit.") -> Case:
    return case(name, prompt, [check], reply, verdict)


# --- one ask per part: numbers and units as replies write them ---------------------------------

LATENCY = c("latency per token", 41.7, "s", rel_tol=0.02)
ACT = c("activation memory per token", 0.5, "MB")
W70 = c("weight memory", 140, "GB")
GPUS = c("GPUs to hold the weights", 2500, "GPU", rel_tol=0.05)
NATS = c("entropy in nats", 0.0012)
PFDAYS = c("GPT-3 training compute", 3640, "petaFLOP/s-day", rel_tol=0.05)
RUN = c("run time", 1.5, "hour")
MONEY = c("training cost", 4.6e6, "USD", rel_tol=0.05)
TOKENS = c("training tokens", 6e9, "token")
EST = c("training compute", 2e24, "FLOP", orders=0.3)
TB2 = c("weight memory", "2 TB")
STD = c("standard deviation", 0.0077, rel_tol=0.05)
PARAMS = c("parameters", 7e9, "parameter")
DATA = c("dataset size", 1.5e12, "token")
FOURK = c("GPUs", 4096, "GPU", rel_tol=0.05)
TOTAL = c("total memory", 160, "GB")
GB25 = c("memory", 2.5, "GB")
FLOPS = c("training compute", 5.9e23, "FLOP", rel_tol=0.05)
TWO = c("GPUs needed", 2, "GPU")

SINGLES = [
    # per-unit phrasing is the same dimension: the ask is per token
    single("per-token latency bold", LATENCY,
           "At batch size 1 every weight is read once per token: 250 GB / 6 TB/s.\n\n"
           "**≈ 41.7 s per token**", "P"),
    single("per-token latency slash", LATENCY, "Latency ≈ 41.7 seconds/token.", "P"),
    single("per-token latency wrong", LATENCY, "So the latency is about 4.17 s per token.", "F"),
    single("per-token latency latex", LATENCY,
           r"$$t = \frac{250\ \text{GB}}{6\ \text{TB/s}} \approx 41.7\ \text{s/token}$$", "P"),
    single("activation per token", ACT, "- Activations: **0.5 MB per token**", "P"),
    # "$20 \times 4096 = $": inline math closed after a space, not twenty dollars
    single("math closed after a space", c("trainable parameters", 81920, "parameter"),
           "(a) $20 \\times 4096 = $ **81,920** trainable parameters.", "P"),
    single("dollars are still money", c("trainable parameters", 81920, "parameter"),
           "It costs $5 and $6 to train.", "U"),
    single("activation per token wrong", ACT, "- Activations: **5 MB per token**", "F"),
    # "70B" is 70 billion before a noun, not 70 bytes
    single("70B model bold", W70,
           r"The 70B model needs $70 \times 10^9 \times 2$ bytes = **140 GB** in fp16.", "P"),
    single("for the 70B model", W70, "That comes to 140 GB for the 70B model.", "P"),
    single("70B times two", W70, "Llama-2 70B: weights take 70B × 2 bytes = 140 GB.", "P"),
    single("70B wrong", W70, "For the 70B model we need about 70 GB.", "F"),
    single("70B only", W70, "A 70B model is large.", "U"),
    # GPU names are not units (H is not henry)
    single("H100s", GPUS, "You'd need about **2,500 H100s** just to hold the weights.", "P"),
    single("A100s arrow", GPUS, "200 TB / 80 GB → 2500 A100s", "P"),
    single("H100 GPUs", GPUS, "That is 2,500 H100 GPUs (80 GB each).", "P"),
    single("H100s wrong", GPUS, "Roughly 250 H100s.", "F"),
    # unknown words are not split into a prefix and a unit
    single("nats", NATS, "H ≈ 1.2e-3 nats", "P"),
    single("nats wrong", NATS, "The entropy is about 1.2e-2 nats.", "F"),
    single("nats latex", NATS, r"$H \approx 1.2 \times 10^{-3}$ nats", "P"),
    single("PF-days", PFDAYS, "GPT-3 used about 3640 PF-days of compute.", "P"),
    single("PF-days wrong", PFDAYS, "GPT-3 used about 3.64 PF-days.", "F"),
    single("pfs-days", PFDAYS, "≈ 3,640 pfs-days", "P"),
    # compound times
    single("1 h 30 min", RUN, "The run takes 1 h 30 min.", "P"),
    single("1 hour 30 minutes", RUN, "**Total: 1 hour 30 minutes**", "P"),
    single("1 h 20 min", RUN, "The run takes 1 h 20 min.", "F"),
    single("90 minutes", RUN, "About 90 minutes.", "P"),
    # thousands separators and decimal commas
    single("space thousands", GPUS, "We need 2 500 GPUs.", "P"),
    single("thin space thousands", GPUS, "We need 2\u2009500 GPUs.", "P"),
    single("narrow nbsp thousands", GPUS, "We need 2\u202f500 GPUs.", "P"),
    single("apostrophe thousands", GPUS, "We need 2'500 GPUs.", "P"),
    single("latex thin space", GPUS, r"$N = 2\,500$ GPUs", "P"),
    single("decimal comma", GB25, "Der Speicher beträgt 2,5 GB.", "P"),
    single("decimal comma wrong", GB25, "Das sind 25 GB.", "F"),
    single("decimal comma leading zero", STD, "σ ≈ 0,0077", "P"),
    single("comma thousands stays", TB2, "That is 2,000 GB.", "P"),
    # ranges: both ends are read, with their shared multiplier and unit
    single("range en dash", EST, r"Roughly $1\text{–}3 \times 10^{24}$ FLOP.", "P"),
    single("range plain", EST, "Somewhere around 1–3 × 10^24 FLOP.", "P"),
    single("range wrong", EST, "Somewhere around 1–3 × 10^22 FLOP.", "F"),
    single("range to", EST, "I estimate 1 to 3 × 10^24 FLOP.", "P"),
    single("range too wide", EST, "Anywhere from 0.2 to 20 × 10^24 FLOP.", "F"),
    single("range narrow seconds", c("latency", 66.7, "s", rel_tol=0.05), "about 66-67 s", "P"),
    single("range wide seconds", c("latency", 66.7, "s", rel_tol=0.05), "between 50-90 s", "F"),
    # units before the number
    single("USD before", MONEY, "Training cost: USD 4.6M", "P"),
    single("dollar M", MONEY, "It cost about $4.6M.", "P"),
    single("US dollar million", MONEY, "Roughly US$4.6 million.", "P"),
    single("USD before wrong", MONEY, "Training cost: USD 46M", "F"),
    single("dollar bold", MONEY, "**Cost ≈ \\$4.6 million**", "P"),
    # counts with suffixes and scale words
    single("bn tokens", TOKENS, "We train on 6 bn tokens.", "P"),
    single("B tokens", TOKENS, "We train on 6B tokens.", "P"),
    single("billion tokens", TOKENS, "Six: **6 billion tokens**.", "P"),
    single("bn parameters", TOKENS, "The model has 6 bn parameters.", "X"),
    single("python power", TOKENS, "D = 6 * 10**9 tokens", "P"),
    single("caret power", TOKENS, "D = 6*10^9 tokens", "P"),
    single("python power wrong", TOKENS, "D = 6 * 10**8 tokens", "F"),
    single("7B parameters", PARAMS, "It has 7B parameters.", "P"),
    single("7 billion params", PARAMS, "≈ 7 billion params", "P"),
    single("1.5T tokens", DATA, "The dataset has **1.5T tokens**.", "P"),
    single("15T tokens", DATA, "The dataset has 15T tokens.", "F"),
    single("4K GPUs", FOURK, "A cluster of 4K GPUs.", "P"),
    single("4k GPUs", FOURK, "We use 4k GPUs.", "P"),
    single("40k GPUs", FOURK, "We use 40k GPUs.", "F"),
    # LaTeX and markup
    single("latex flop", FLOPS, r"$C = 6ND \approx 5.9 \times 10^{23}\,\text{FLOP}$", "P"),
    single("boxed flop", FLOPS, r"$$\boxed{5.9 \times 10^{23}\ \text{FLOPs}}$$", "P"),
    single("boxed wrong", FLOPS, r"$$\boxed{5.9 \times 10^{22}\ \text{FLOPs}}$$", "F"),
    single("mathrm GB", W70, r"$M = 140\,\mathrm{GB}$", "P"),
    single("latex text GB", W70,
           r"$\text{Memory} = 70 \times 10^{9} \times 2\,\text{B} = 140\,\text{GB}$", "P"),
    single("bare for data", TB2, "16e12", "U"),
    single("terabit", TB2, "The weights take 2 Tb.", "F"),
    single("tebibyte", TB2, "About 2 TiB.", "F"),
    single("200 TB", TB2, "That is 200 TB.", "F"),
    # table headers carry the unit
    single("table header unit", W70,
           "| Model | Params | Memory (GB) |\n|---|---|---|\n| 7B | 7e9 | 14 |\n"
           "| 70B | 70e9 | 140 |", "P",
           prompt="How much memory do the fp16 weights of the 70B model take?"),
    single("table header unit wrong", W70,
           "| Model | Memory (GB) |\n|---|---|\n| 7B | 14 |\n| 70B | 280 |", "F",
           prompt="How much memory do the fp16 weights of the 70B model take?"),
    single("table header in brackets", GPUS,
           "| Item | Value |\n|---|---|\n| Weights [TB] | 200 |\n| GPUs needed | 2500 |", "P"),
    # bold or boxed intermediates against the stated final value
    single("bold parts then total", TOTAL,
           "- Weights: **140 GB**\n- KV cache: **20 GB**\n\nTotal: 160 GB", "P"),
    single("bold part then so", TOTAL,
           "Weights take **140 GB**. The KV cache adds 20 GB, so the total memory is 160 GB.",
           "P"),
    single("bold part then so wrong", TOTAL,
           "Weights take **160 GB**. The KV cache adds 20 GB, so the total memory is 180 GB.",
           "F"),
    single("boxed step then final", TOTAL,
           "Weights: $\\boxed{140\\ \\text{GB}}$. KV cache: 20 GB.\n\n"
           "**Final answer: 160 GB**", "P"),
    single("labelled step then concluded", TOTAL,
           "Total memory for the weights alone: 160 GB. Adding the KV cache, the answer is "
           "180 GB.", "F"),
    single("labelled total with parts in parentheses", TOTAL,
           "The total memory is 160 GB (weights 140 GB + KV cache 20 GB).", "P"),
    single("labelled step then total line", TOTAL,
           "Memory of the weights: 160 GB\nKV cache: 20 GB\nTotal: 180 GB", "F"),
    single("intermediate right final wrong", c("latency", 66.7, "s", rel_tol=0.05),
           "2e14 B / 3e12 B/s = 66.7 s, but both copies are read, so **133 s**.", "F"),
    # asides are not the answer
    single("i.e. aside", W70, "The weights take 140 GB (i.e. two 80 GB GPUs).", "P"),
    single("i.e. aside only", W70, "Each replica needs two GPUs, i.e. two 80 GB GPUs.", "U"),
    single("aside wrong answer", W70,
           "That is 2 × 80 GB = 160 GB of memory, i.e. two 80 GB GPUs.", "F"),
    single("e.g. aside after answer", TWO,
           "**2 GPUs** (e.g. 8 GB each would not be enough; 80 GB cards work).", "P"),
    single("GPU count wrong", TWO, "Weights are 140 GB, so **Answer: 3 GPUs**.", "F"),
    single("GPU count bare bold", TWO, "We need **2**.", "P"),
    single("GPU count layers distractor", TWO, "The model has 96 layers and 12 heads.", "U"),
    # Thought debris and self-checks
    single("thought debris", FLOPS,
           "Thought for 30s\n\n> 6 × 70e9 × 1.4e12 … about 1e24 FLOP?\n\nLet me redo it: "
           "6 × 7e10 × 1.4e12 = 5.9e23.\n\n**Answer:** ≈ 5.9 × 10^23 FLOP", "P"),
    single("thought debris wrong final", FLOPS,
           "Thought for 12s\n\n5.9e23 FLOP?\n\nActually 6 × 70e9 × 14e12:\n\n"
           "**Answer:** ≈ 5.9 × 10^24 FLOP", "F"),
    single("self-check after answer", ACT,
           "**Answer: 0.5 MB per token.**\n\nSanity check: the weights are 350 GB, so "
           "activations match them after 700,000 tokens.", "P"),
    single("self-check line after plain answer", ACT,
           "Activations per token = 2 × 12288 × 10 layers × 2 bytes ≈ 0.5 MB.\n"
           "Sanity check: weights are 350 GB, far more.", "P"),
    single("verify line wrong", ACT,
           "Activations per token ≈ 5 MB.\nCheck: 5 MB × 70,000 tokens = 350 GB. ✓", "F"),
    # wrong units, wrong magnitudes, wrong things
    single("ms for s", LATENCY, "≈ 41.7 ms per token", "F"),
    single("GB per token", ACT, "Activations: 0.5 GB per token.", "F"),
    single("gigabit", W70, "The weights need 140 Gb.", "F"),
    single("gibibyte", W70, "The weights need 140 GiB.", "F"),
    single("other model only", W70, "The 7B model needs 14 GB.", "X",
           prompt="How much memory do the fp16 weights of the 70B model take?"),
    single("TB for GPUs", GPUS, "About 2,500 TB.", "X"),
    single("25 H100s", GPUS, "Roughly 25 H100s.", "F"),
    single("PFLOP is a count", PFDAYS, "GPT-3 used about 3640 PFLOP.", "F"),
    single("1 h 30 s", RUN, "It takes 1 h 30 s.", "F"),
    single("days not hours", RUN, "It takes 1.5 days.", "F"),
    single("tokens not dollars", MONEY, "The run used 4.6M tokens.", "X"),
    single("billions not millions", MONEY, "It cost about $4.6B.", "F"),
    single("60 B tokens", TOKENS, "We train on 60 B tokens.", "F"),
    single("range far off", EST, "Somewhere around 1–3 × 10^26 FLOP.", "F"),
    single("rate for count", EST, "About 2e24 FLOP/s.", "X"),
    single("rate for count latex", FLOPS, r"$5.9 \times 10^{23}\ \text{FLOP/s}$", "X"),
    single("decimal comma wrong magnitude", STD, "σ ≈ 0,077", "F"),
    single("7M parameters", PARAMS, "It has 7M parameters.", "F"),
    single("1.5B tokens", DATA, "The dataset has 1.5B tokens.", "F"),
    single("rate for size", TB2, "It streams 2 TB/s.", "X"),
    single("bold parts then wrong total", TOTAL,
           "- Weights: **160 GB**\n- KV cache: **20 GB**\n\nTotal: 180 GB", "F"),
    single("per GPU share wrong", LATENCY, "Each token: 41.7 s / 8 = 5.2 s per token.", "F"),
    single("right value only in a parenthesis", W70, "About 280 GB (not 140 GB: fp32).", "F"),
    single("debris right final wrong", FLOPS,
           "Thought for 8s\n\n**5.9e23 FLOP** hmm no\n\nFinal answer: 1.2e24 FLOP", "F"),
    single("negative exponent", FLOPS, r"$C \approx 5.9 \times 10^{-23}$ FLOP", "F"),
    single("boxed bare for data", W70, r"$\boxed{140}$", "X"),
    single("bare count on answer line", GPUS, "**Answer:** 2500", "P"),
    single("2.5k GPUs", GPUS, "We need 2.5k GPUs.", "P"),
    single("bits for nats", NATS, "H ≈ 1.2e-3 bits", "X"),
]

# --- several asks of one dimension in one part -------------------------------------------------

PF_PROMPT = ("How many FLOP are in one petaFLOP/s-day? How much training compute (in FLOP) "
             "does the 100T model need?")
PF = [c("FLOP per petaFLOP-day", 8.64e19, "FLOP"), c("100T model compute", 1e30, "FLOP")]

ACT_PROMPT = (
    "A 175B-parameter model is served in fp16 (350 GB of weights) from 8 TB/s of memory. Each "
    "token keeps 2 × 12288 fp16 values in each of 96 layers. What is the latency per token, the "
    "activation memory per token in MB, and after how many tokens do the activations equal the "
    "weights?")
ACTS = [c("latency per token", 43.75, "ms"), c("activation MB per token", 4.72, "MB"),
        c("tokens until activations equal weights", 74176, "token", rel_tol=0.05)]

SIZES_PROMPT = ("How much memory do the fp16 weights of a 1B-parameter model take? And those of "
                "a 1T-parameter model?")
SIZES = [c("1B model weights", 2, "GB"), c("1T model weights", 2000, "GB")]

TIMES_PROMPT = ("How long does one token take on one memory system at 3 TB/s, and how long when "
                "the weights are split over 2500 GPUs?")
TIMES = [c("time on one memory system", 66.7, "s", rel_tol=0.05),
         c("time across the GPUs", 26.7, "ms", rel_tol=0.05)]

QUANT_PROMPT = "Give the scale and the zero point, and the codes."
QUANT = [c("scale", 0.14), c("zero point", 9)]

EQUAL_PROMPT = "How many bytes does A take, and how many does B take?"
EQUAL = [c("bytes of A", 131072, "byte"), c("bytes of B", 131072, "byte")]

MULTI = [
    case("pf in order", PF_PROMPT, PF,
         "1 petaFLOP/s-day = 10^15 × 86400 = 8.64 × 10^19 FLOP.\n\n"
         "The 100T model needs C = 6ND ≈ 1 × 10^30 FLOP.", "PP"),
    case("pf reversed", PF_PROMPT, PF,
         "Compute for the 100T model: C ≈ 1e30 FLOP.\n\n"
         "One petaFLOP/s-day is 10^15 FLOP/s × 86,400 s = 8.64e19 FLOP.", "PP"),
    case("pf bullets bold", PF_PROMPT, PF,
         "- **FLOP per petaFLOP/s-day:** 8.64 × 10^19 FLOP\n"
         "- **100T model compute:** 1 × 10^30 FLOP", "PP"),
    case("pf one answer line", PF_PROMPT, PF,
         "**Answer:** 8.64e19 FLOP per PF-day; 1e30 FLOP for the 100T model.", "PP"),
    case("pf with conversion", PF_PROMPT, PF,
         "A petaFLOP/s-day is 8.64 × 10^19 FLOP.\n"
         "The model needs about 1e30 FLOP, i.e. 1e30 / 8.64e19 ≈ 1.16 × 10^10 petaFLOP/s-days.",
         "PP"),
    case("pf table", PF_PROMPT, PF,
         "| Quantity | FLOP |\n|---|---|\n| 1 petaFLOP/s-day | 8.64e19 |\n"
         "| 100T model training | 1e30 |", "PP"),
    case("pf boxed both", PF_PROMPT, PF,
         r"$1\ \text{PF-day} = \boxed{8.64 \times 10^{19}\ \text{FLOP}}$" "\n\n"
         r"$C_{100T} = \boxed{10^{30}\ \text{FLOP}}$", "PP"),
    case("pf first missing", PF_PROMPT, PF,
         "The 100T model needs about 1e30 FLOP of training compute.", "UP"),
    case("pf second missing", PF_PROMPT, PF,
         "One petaFLOP/s-day = 8.64 × 10^19 FLOP.", "PU"),
    case("pf second wrong", PF_PROMPT, PF,
         "One petaFLOP/s-day = 8.64 × 10^19 FLOP. The 100T model needs 1e27 FLOP.", "PF"),
    case("pf first wrong", PF_PROMPT, PF,
         "One petaFLOP/s-day = 8.64 × 10^15 FLOP. The 100T model needs 1e30 FLOP.", "FP"),
    case("pf swapped values", PF_PROMPT, PF,
         "One petaFLOP/s-day = 1e30 FLOP. The 100T model needs 8.64e19 FLOP.", "FF"),
    case("act in order", ACT_PROMPT, ACTS,
         "1. **Latency:** 350 GB / 8 TB/s = **43.75 ms per token**.\n"
         "2. **Activations:** 2 × 12288 × 96 × 2 bytes ≈ **4.72 MB per token**.\n"
         "3. **Tokens:** 350 GB / 4.72 MB ≈ **74,000 tokens**.\n\n"
         "Sanity check: 74,000 × 4.72 MB ≈ 350 GB, the weights. ✓", "PPP"),
    case("act prose", ACT_PROMPT, ACTS,
         "Reading 350 GB at 8 TB/s takes 43.75 ms, so the latency per token is about 44 ms. "
         "Each token stores 2 × 12288 × 96 fp16 values, about 4.72 MB of activations per token. "
         "The activations equal the 350 GB of weights after 350e9 / 4.72e6 ≈ 74,200 tokens.",
         "PPP"),
    case("act reversed", ACT_PROMPT, ACTS,
         "Tokens until activations equal weights: ≈ 74k tokens.\n"
         "Activation memory per token: 4.72 MB.\n"
         "Latency per token: 43.75 ms.\n"
         "(Weights: 350 GB.)", "PPP"),
    case("act table", ACT_PROMPT, ACTS,
         "| Quantity | Value |\n|---|---|\n| Latency per token | 43.75 ms |\n"
         "| Activation memory per token | 4.72 MB |\n| Tokens to match weights | 74,176 |\n"
         "| Weights | 350 GB |", "PPP"),
    case("act final line", ACT_PROMPT, ACTS,
         "Thought for 20s\n\nWeights 350 GB. 350e9/8e12 = 0.04375 s. Per token 4718592 bytes.\n\n"
         "**Final answer:** 43.75 ms per token; 4.72 MB per token; about 74,176 tokens.", "PPP"),
    case("act tokens missing", ACT_PROMPT, ACTS,
         "Latency per token: 350 GB / 8 TB/s = 43.75 ms.\n"
         "Activations per token: 2 × 12288 × 96 layers × 2 B = 4.72 MB.", "PPU"),
    case("act activation missing", ACT_PROMPT, ACTS,
         "Latency per token: 350 GB / 8 TB/s = 43.75 ms.\n"
         "The activations catch up with the 350 GB of weights after about 74,000 tokens.", "PUP"),
    case("act activation wrong", ACT_PROMPT, ACTS,
         "- Latency: 43.75 ms per token\n- Activations: 0.47 MB per token\n"
         "- Tokens: 350 GB / 0.47 MB ≈ 745,000 tokens", "PFF"),
    case("act latency in seconds", ACT_PROMPT, ACTS,
         "Per token we read all 350 GB: 350 GB ÷ 8 TB/s ≈ 0.044 s per token. Activation memory "
         "is 2·12288·96·2 B ≈ 4.7 MB per token, so after 350 GB ÷ 4.7 MB ≈ 74,500 tokens the "
         "activations equal the weights.", "PPP"),
    case("act only weights", ACT_PROMPT, ACTS,
         "The weights take 350 GB; the latency is 43.75 ms per token.", "PUU"),
    case("sizes in order", SIZES_PROMPT, SIZES,
         "- 1B model: 1e9 × 2 bytes = **2 GB**\n- 1T model: 1e12 × 2 bytes = **2000 GB** (2 TB)",
         "PP"),
    case("sizes reversed", SIZES_PROMPT, SIZES,
         "The 1T model needs 2 TB. The 1B model needs only 2 GB.", "PP"),
    case("sizes boxed last", SIZES_PROMPT, SIZES,
         "A 1B-parameter model in fp16 takes 2 GB.\n\n"
         r"For the 1T model: $\boxed{2000\ \text{GB}}$", "PP"),
    case("sizes 1B missing", SIZES_PROMPT, SIZES,
         r"For the 1T model: $\boxed{2000\ \text{GB}}$", "UP"),
    case("sizes 1B wrong", SIZES_PROMPT, SIZES,
         "1B model: 1e9 × 4 bytes = 4 GB. 1T model: 2 TB.", "FP"),
    case("one size asked, other boxed", "How much memory do the fp16 weights of a 1B-parameter "
         "model take?", [SIZES[0]],
         "1e9 parameters × 2 bytes = 2 GB.\n\nFor comparison, a 1T model: "
         r"$\boxed{2000\ \text{GB}}$", "P"),
    case("one size asked, only the other", "How much memory do the fp16 weights of a "
         "1B-parameter model take?", [SIZES[0]],
         r"For comparison, a 1T model needs $\boxed{2000\ \text{GB}}$.", "X"),
    case("times in order", TIMES_PROMPT, TIMES,
         "One memory system: 200 TB / 3 TB/s ≈ 66.7 s per token.\n"
         "Split over 2500 GPUs: 80 GB / 3 TB/s ≈ 26.7 ms per token.", "PP"),
    case("times reversed", TIMES_PROMPT, TIMES,
         "Across the 2500 GPUs each reads 80 GB: 26.7 ms. On a single memory system: 66.7 s.",
         "PP"),
    case("times bold", TIMES_PROMPT, TIMES,
         "**(1)** 66.7 s\n**(2)** 0.0267 s", "PP"),
    case("times second missing", TIMES_PROMPT, TIMES,
         "On one memory system: 2e14 / 3e12 ≈ 66.7 s per token.", "PU"),
    case("times second wrong", TIMES_PROMPT, TIMES,
         "On one memory system: 66.7 s. Across 2500 GPUs: 2.67 ms.", "PF"),
    case("quant in order", QUANT_PROMPT, QUANT,
         "s = 2.1/15 = 0.14, z = round(1.2/0.14) = round(8.571) = 9.\n"
         "Codes: (15, 6, 9, 0, 11, 14).", "PP"),
    case("quant reversed", QUANT_PROMPT, QUANT,
         "The zero point is 9 and the scale is 0.14; codes 15, 6, 9, 0, 11, 14.", "PP"),
    case("quant bold", QUANT_PROMPT, QUANT,
         "**Scale:** 0.14  \n**Zero point:** 9  \n**Codes:** 15, 6, 9, 0, 11, 14", "PP"),
    case("quant zero point wrong", QUANT_PROMPT, QUANT,
         "Scale s = 0.14; zero point z = 8.571 ≈ 8.", "PF"),
    case("equal references share", EQUAL_PROMPT, EQUAL,
         "With m = l, A and B each take 131,072 bytes.", "PP"),
    case("equal references stated twice", EQUAL_PROMPT, EQUAL,
         "A: 4 × 4096 × 8 = 131,072 bytes. B: 4 × 8 × 4096 = 131,072 bytes.", "PP"),
    case("pf both missing", PF_PROMPT, PF, "I can't compute that without more data.", "UU"),
    case("pf only operands", PF_PROMPT, PF, "One petaFLOP/s-day = 10^15 × 86400.", "UU"),
    case("sizes swapped", SIZES_PROMPT, SIZES, "1B model: 2 TB. 1T model: 2 GB.", "FF"),
    case("times both wrong", TIMES_PROMPT, TIMES,
         "One memory system: 66.7 ms. Across the 2500 GPUs: 26.7 s.", "FF"),
    case("act all wrong", ACT_PROMPT, ACTS,
         "Latency: 43.75 s per token. Activations: 4.72 GB per token. Tokens: about 74.", "FFF"),
    case("quant swapped", QUANT_PROMPT, QUANT, "Scale: 9. Zero point: 0.14.", "FF"),
    case("equal references one wrong", EQUAL_PROMPT, EQUAL,
         "A: 131,072 bytes. B: 262,144 bytes.", "PF"),
    case("weights and gpus", "How many bytes do the weights take in fp16, and how many 80 GB "
         "GPUs are needed to hold them?",
         [c("weight memory", 200, "TB", rel_tol=0.05), GPUS],
         "10^14 × 2 bytes = 2 × 10^14 bytes = **200 TB**, i.e. 200 TB / 80 GB = **2,500 H100s**.",
         "PP"),
    case("weights and gpus aside", "How many bytes do the weights take in fp16, and how many 80 "
         "GB GPUs are needed to hold them?",
         [c("weight memory", 200, "TB", rel_tol=0.05), GPUS],
         "Weights: 200 TB. Each GPU holds 80 GB (an 80 GB A100), so 2500 GPUs.", "PP"),
]

# --- written after the checker, in other styles: the questions of the bundled Fermi set -------

KV = c("KV cache per token", 524.288, "MB", rel_tol=0.05)
SSD = c("SSD cost", 20000, "USD", rel_tol=0.05)
ONE = c("latency on one memory system", 66.667, "s", rel_tol=0.05)
SHARD = c("latency across the GPUs", 26.667, "ms", rel_tol=0.05)
LORA_PROMPT = ("For m = l = 4096 and k = 8, how many bytes do A and B take in float32, and by "
               "what factor is that smaller than a full-rank float32 update?")
LORA = [c("bytes of A and B", 262144, "byte"), c("memory ratio", 256)]
RANK = c("maximum rank of W_U W_E", 768)
SOFT_PROMPT = ("We tune a 20-token soft prompt for GPT-2 XL (d_model = 1600). How many "
               "parameters are trained, and how many bytes does one task's prompt take?")
SOFT = [c("trained parameters", 32000, "parameter"), c("bytes per task", 128000, "byte")]
SAVE8 = c("saved at 8 bits", 7, "GB")
SAVE4 = c("saved at 4 bits", 10.5, "GB")
CD_PROMPT = ("For the model (N = 10^14 parameters) to be compute-optimal, how much training "
             "compute C and how many training tokens D does the fit call for?")
CD = [c("training compute", 3.1141e31, "FLOP", orders=0.1),
      c("training tokens", 5.1901e16, "token", orders=0.1)]
ND_PROMPT = "With C = 5.76 × 10^23 FLOP, compute N_opt and D_opt."
ND = [c("N_opt", 3.219e10, "parameter", rel_tol=0.05),
      c("D_opt", 2.9823e12, "token", rel_tol=0.05)]
K_PROMPT = ("Take C = 3.1 × 10^31 FLOP. Express it in petaFLOP/s-days. GPUs peak at 10^15 FLOP/s "
            "at 40% utilization, rented at 2 USD per GPU-hour, on 100,000 GPUs. How many "
            "GPU-hours, what cost, and how many years?")
K = [c("compute in petaFLOP/s-days", 3.588e11, "petaFLOP/s-day", rel_tol=0.05),
     c("GPU-hours", 2.1528e13, "GPU*hour", rel_tol=0.05),
     c("rental cost", 4.3056e13, "USD", rel_tol=0.05),
     c("wall-clock time", 24558, "year", rel_tol=0.05)]
E_PROMPT = ("How many bytes do the model's weights take in fp16, and how many GPUs with 80 GB "
            "of memory each are needed just to hold them?")
E = [c("weight memory", 200, "TB", rel_tol=0.05), c("GPUs to hold the weights", 2500, "GPU")]

LATER = [
    single("kv bold after steps", KV,
           "**KV cache per token**\n\nPer layer we store K and V: 2 × 65,536 × 2 bytes = "
           "262,144 bytes.\nOver 2,000 layers: 262,144 × 2,000 ≈ 5.24 × 10⁸ bytes ≈ **524 MB** "
           "(exactly 500 MiB).", "P"),
    single("kv half a gigabyte", KV, "So roughly 0.5 GB of KV cache per token.", "P"),
    single("kv GB slip", KV, "≈ 524 GB per token", "F"),
    single("kv MiB", KV, "Per token: 500 MiB.", "P"),
    single("ssd dollars bold", SSD, "Storage: 2 × 10^5 GB × $0.10/GB = **$20,000**", "P"),
    single("ssd 20k", SSD, "Cost ≈ $20k", "P"),
    single("ssd 20k USD", SSD, "Cost ≈ 20k USD", "P"),
    single("ssd euros", SSD, "Cost ≈ €20,000", "X"),
    single("ssd wrong", SSD, "That'd be about $2,000.", "F"),
    single("latency dash aside", ONE,
           "t = 200 TB ÷ 3 TB/s ≈ 66.7 s — more than a minute per token!", "P"),
    single("latency minutes", ONE, "about 1.1 minutes per token", "P"),
    single("latency ms slip", ONE, "≈ 66.7 ms", "F"),
    single("shard chain", SHARD, "Each GPU: 80 GB ÷ 3 TB/s ≈ 0.0267 s = 26.7 ms per token.", "P"),
    case("k bullets debris", K_PROMPT, K,
         "Thought for 40s\n\n- 1 PF/s-day = 8.64e19 FLOP → C = 3.1e31 / 8.64e19 ≈ "
         "**3.6 × 10¹¹ PF/s-days**\n- Per GPU 0.4 × 10^15 = 4e14 FLOP/s → 3.1e31 / 4e14 = "
         "7.75e16 GPU-s ≈ **2.15 × 10¹³ GPU-hours**\n- Cost: 2.15e13 × $2 ≈ **$4.3 × 10¹³** "
         "(43 trillion dollars)\n- Time on 100k GPUs: 2.15e13 / 1e5 = 2.15e8 h ≈ "
         "**24,500 years**", "PPPP"),
    case("k cost wrong", K_PROMPT, K,
         "- C ≈ 3.59 × 10^11 petaFLOP/s-days\n- GPU-hours ≈ 2.15 × 10^13\n"
         "- Cost ≈ $4.3 × 10^12\n- Years ≈ 2.46 × 10^4", "PPFP"),
    case("lora list", LORA_PROMPT, LORA,
         "A and B: 4·8·(4096+4096) = 262,144 bytes (256 KiB). Full update: 4·4096² = "
         "67,108,864 bytes (64 MiB). Ratio: 256×.", "PP"),
    case("lora reversed", LORA_PROMPT, LORA,
         "The factor is 256; the LoRA factors take 262,144 B.", "PP"),
    case("lora ratio missing", LORA_PROMPT, LORA, "LoRA factors: 262,144 bytes.", "PU"),
    single("rank chain bold", RANK, "rank(W_U W_E) ≤ min(V, d) = min(50257, 768) = **768**", "P"),
    single("rank wrong", RANK, "The max rank is 50257.", "F"),
    case("soft prompt prose", SOFT_PROMPT, SOFT,
         "20 × 1600 = 32,000 trainable params; in float32 that is 128,000 bytes ≈ 128 KB.",
         "PP"),
    case("soft prompt terse", SOFT_PROMPT, SOFT, "32k parameters, 128 kB", "PP"),
    case("soft prompt bits", SOFT_PROMPT, SOFT,
         "32,000 parameters; 32,000 × 4 = 128,000 bits", "PF"),
    single("save 8 bold", SAVE8,
           "7e9 × 1 byte = 7 GB at 8 bits vs 14 GB at fp16 → saves **7 GB**.", "P"),
    single("save 4 chain", SAVE4, "4-bit: 3.5 GB, so we save 14 − 3.5 = 10.5 GB.", "P"),
    single("save 4 wrong", SAVE4, "4-bit: 3.5 GB saved.", "F"),
    case("cd one line", CD_PROMPT, CD, "C ≈ 3 × 10^31 FLOP and D ≈ 5 × 10^16 tokens", "PP"),
    case("cd rough", CD_PROMPT, CD, "C ~ 10^31 FLOP, D ~ 5e16 tokens", "FP"),
    case("nd suffixes", ND_PROMPT, ND, "N_opt ≈ 32B params, D_opt ≈ 3T tokens", "PP"),
    case("nd bare latex", ND_PROMPT, ND,
         r"$N_{opt} \approx 3.2 \times 10^{10}$, $D_{opt} \approx 3.0 \times 10^{12}$", "PP"),
    case("e bold arrow", E_PROMPT, E,
         "**200 TB** of weights → 200 TB / 80 GB = **2,500 GPUs**", "PP"),
    case("e gpus wrong", E_PROMPT, E, "200 TB / 80 GB ≈ 25 GPUs", "PF"),
    case("times prose", TIMES_PROMPT, TIMES,
         "It takes 66.7 seconds on one memory system but only 26.7 milliseconds when the model "
         "is sharded across the 2500 GPUs.", "PP"),
    case("times sharded first", TIMES_PROMPT, TIMES,
         "Sharded across the GPUs: 0.0267 s/token. Single memory system: 66.7 s/token.", "PP"),
    case("pf arrows", PF_PROMPT, PF, "PF-day → 8.64e19 FLOP; 100T model → 1e30 FLOP", "PP"),
    case("sizes table", SIZES_PROMPT, SIZES,
         "| Model | fp16 weights |\n|---|---|\n| 1B | 2 GB |\n| 1T | 2 TB |", "PP"),
    case("act latex", ACT_PROMPT, ACTS,
         r"Latency $= \frac{350\ \text{GB}}{8\ \text{TB/s}} = 43.75\ \text{ms}$ per token; "
         r"activations $= 2 \cdot 12288 \cdot 96 \cdot 2\ \text{B} \approx 4.72\ \text{MB}$ "
         r"per token; equal to the weights after $\approx 7.4 \times 10^{4}$ tokens.", "PPP"),
    case("act tokens wrong", ACT_PROMPT, ACTS,
         r"Latency $= 43.75\ \text{ms}$ per token; activations $\approx 4.72\ \text{MB}$ "
         r"per token; equal to the weights after $\approx 7.4 \times 10^{5}$ tokens.", "PPF"),
    single("debris and comparison", W70,
           "Thought for 3s\n\n140?\n\n**Memory:** 70 × 10⁹ × 2 B = 140 GB\n\n"
           "(For comparison, an H100 has 80 GB.)", "P"),
    single("two GPUs only", W70, "Two 80 GB GPUs are needed.", "X"),
    single("gpus power", GPUS, "We need ~2.5 × 10³ GPUs", "P"),
    single("gpu-hours not gpus", GPUS, "2500 GPU-hours", "X"),
    single("tokens long form", TOKENS, "6,000,000,000 tokens", "P"),
    single("tokens bare", TOKENS, "D = 6e9", "P"),
    single("params superscript", PARAMS, "7 × 10⁹ params", "P"),
    single("estimate bare", EST, "~2×10^24", "P"),
    single("dollars long form", MONEY, "$4,600,000", "P"),
    single("million dollars", MONEY, "4.6 million dollars", "P"),
    single("5400 s", RUN, "5400 s", "P"),
    single("42 s per token", LATENCY, "~42 s/token", "P"),
    single("latex thousands with negative space", c("investment value", 16386.20),
           r"Rounded to the nearest cent, it is worth $\boxed{\$16,\!386.20}$.", "P"),
    single("final answer mid-line", c("balance", 10455),
           r"The interest is $0.05 \cdot 10,200 \cdot \frac{1}{2} = \boxed{255}$, so she has "
           r"$10,200 + $255 = $10,455. Final Answer: The final answer is $10,455$.", "P"),
    single("final answer mid-line wrong", c("balance", 10455),
           r"The interest is $\boxed{255}$. Final Answer: The final answer is $9,455$.", "F"),
    case("act step headings", ACT_PROMPT, ACTS,
         "### Step 1: latency\n350 GB / 8 TB/s = 43.75 ms\n\n### Step 2: activations\n"
         "2 × 12288 × 96 × 2 B = 4,718,592 B ≈ 4.72 MB\n\n### Step 3\n350e9 / 4.72e6 ≈ 74,153"
         "\n\n### Final answer\n- Latency: 43.75 ms/token\n- Activations: 4.72 MB/token\n"
         "- Tokens: ≈ 74k", "PPP"),
    case("act summary table", ACT_PROMPT, ACTS,
         "**Summary**\n\n| | value |\n|---|---|\n| latency / token | 43.75 ms |\n"
         "| activation memory / token | 4.72 MB |\n| tokens to reach weight size | ~7.4e4 |",
         "PPP"),
    case("pf code block", PF_PROMPT, PF,
         "```python\npf_day = 1e15 * 86400  # 8.64e19 FLOP\nC = 6 * 1e14 * 1.7e15\n```\n"
         "So a PF-day is 8.64e19 FLOP and C ≈ 1.0e30 FLOP.", "PP"),
    case("pf parenthesis definition", PF_PROMPT, PF,
         "C = 6·N·D = 6 × 10^14 × 1.67 × 10^15 ≈ 10^30 FLOP ≈ 1.16 × 10^10 PF-days "
         "(1 PF-day = 8.64 × 10^19 FLOP).", "PP"),
    case("times ticks", TIMES_PROMPT, TIMES,
         "Single system: t = 2×10^14 B ÷ 3×10^12 B/s ≈ 66.7 s ✓\n"
         "Sharded: t = 8×10^10 B ÷ 3×10^12 B/s ≈ 26.7 ms ✓", "PP"),
    case("sizes arrows", SIZES_PROMPT, SIZES,
         "fp16 = 2 bytes/param.\n* 1B params → 2 × 10^9 bytes = 2 GB\n"
         "* 1T params → 2 × 10^12 bytes = 2 TB", "PP"),
    case("sizes arrows wrong", SIZES_PROMPT, SIZES,
         "fp16 = 2 bytes/param.\n* 1B params → 2 × 10^9 bytes = 2 GB\n"
         "* 1T params → 2 × 10^12 bytes = 20 TB", "PF"),
    case("memory parts", "How much memory do the weights take, and the KV cache?",
         [c("weight memory", 140, "GB"), c("KV cache memory", 20, "GB")],
         "Weights ≈ 140 GB; KV cache ≈ 20 GB; total 160 GB.", "PP"),
    case("memory parts only total", "How much memory do the weights take, and the KV cache?",
         [c("weight memory", 140, "GB"), c("KV cache memory", 20, "GB")],
         "Total 160 GB, of which KV cache ≈ 20 GB.", "UP"),
]

CASES = SINGLES + MULTI + LATER


def _agrees(verdict: str, result: CheckResult) -> bool:
    status = result.status
    if verdict == "P":
        return status == CheckStatus.passed
    if verdict == "F":
        return status in (CheckStatus.failed, CheckStatus.partial)
    if verdict == "U":
        return status == CheckStatus.unaddressed
    return status != CheckStatus.passed


def _grade(item: Case) -> list[CheckResult]:
    part = Part(id="a", prompt=item.prompt, solution="-", checks=list(item.checks))
    return run_checks(part, item.reply)


def test_table_is_large_and_mixed() -> None:
    verdicts = "".join(item.verdicts for item in CASES)
    assert len(CASES) >= 120
    assert verdicts.count("P") >= 100 and sum(verdicts.count(v) for v in "FUX") >= 50


def test_wild_answers_agree_with_a_careful_grader() -> None:
    total = agree = 0
    false_passes: list[str] = []
    misses: list[str] = []
    for item in CASES:
        for verdict, result in zip(item.verdicts, _grade(item), strict=True):
            total += 1
            if _agrees(verdict, result):
                agree += 1
                continue
            line = f"{item.name} / {result.label}: want {verdict}, got {result.status}: " \
                   f"{result.reason}"
            (false_passes if result.status == CheckStatus.passed else misses).append(line)
    rate = agree / total
    print(f"\nwild numeric answers: {agree}/{total} agree ({rate:.1%}), "
          f"{len(false_passes)} false passes")
    for line in false_passes + misses:
        print("  ", line)
    assert not false_passes
    assert rate >= AGREEMENT_FLOOR


@pytest.mark.parametrize("item", [i for i in CASES if "U" in i.verdicts], ids=lambda i: i.name)
def test_an_unanswered_ask_says_so(item: Case) -> None:
    for verdict, result in zip(item.verdicts, _grade(item), strict=True):
        if verdict == "U":
            assert result.status == CheckStatus.unaddressed, result.reason
            assert "not answered" in result.reason, result.reason


@pytest.mark.parametrize("item", [i for i in MULTI if "P" in i.verdicts], ids=lambda i: i.name)
def test_the_reason_quotes_the_value_and_its_sentence(item: Case) -> None:
    for verdict, result in zip(item.verdicts, _grade(item), strict=True):
        if verdict == "P":
            assert result.found and result.found in result.reason, result.reason
            assert " in “" in result.reason, result.reason
