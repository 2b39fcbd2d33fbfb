"""Where per-document extraction spends its time, against one plain jieba pass.

Issue 6 sets the per-core budget of a build at 1.5x one ``jieba.lcut`` pass over the
same texts. This harness loads the texts once, warms both sides up (jieba's
dictionary, the lexicons, the gazetteer and every compiled pattern are one-time
costs, so neither side pays them), then times on this one process:

1. ``jieba.lcut`` over every text;
2. ``kg.extract.extract`` over every text (with jieba's cut cache emptied first, so
   extraction cuts every sentence itself, as it does in a real build);
3. with ``--joined``, ``extract`` over all the texts joined into one document, as when
   a user pastes a year of a paper into one file: its time should stay near that of 2.;

and prints the ratio, characters per second and the top functions by cumulative
time under cProfile.

Usage: python -m bench.profile_extract [FOLDER ...] [--repeat 3] [--top 30] [--no-profile] [--joined]
       (default folders: samples/articles, eval/heldout*/articles, ../shared/corpus)
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = ("samples/articles", "eval/heldout/articles", "eval/heldout2/articles", "../shared/corpus")


def load_documents(folders: list[Path]) -> list:
    from kg.models import Document
    from kg.read import read_documents

    return [d for d in read_documents(folders, [".txt"]) if isinstance(d, Document)]


def _forget_cuts() -> None:
    """Empty the per-text cut cache so every timed run cuts its sentences again."""
    from kg.recognise import wordcut

    wordcut.cut.cache_clear()


def time_jieba(texts: list[str], repeat: int) -> float:
    """The fastest CPU time of one jieba.lcut pass over every text."""
    import jieba

    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for text in texts:
            jieba.lcut(text)
        best = min(best, time.process_time() - started)
    return best


def time_extract(run, repeat: int) -> float:
    """The fastest CPU time of extracting every document."""
    best = float("inf")
    for _ in range(repeat):
        _forget_cuts()
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


STAGES = ("clean_text", "split_sentences", "recognise", "resolve", "relate")


def time_stages(run) -> dict[str, float]:
    """CPU seconds of each stage of ``extract`` in one run, by wrapping the stages it calls."""
    from kg import extract as extract_module

    spent = dict.fromkeys(STAGES, 0.0)
    originals = {name: getattr(extract_module, name) for name in STAGES}

    def timed(name: str, function):
        def call(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - started
        return call

    for name, function in originals.items():
        setattr(extract_module, name, timed(name, function))
    try:
        _forget_cuts()
        run()
    finally:
        for name, function in originals.items():
            setattr(extract_module, name, function)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", help="folders of articles (default: the seed corpora)")
    parser.add_argument("--repeat", type=int, default=3, help="time each side this many times, keep the fastest")
    parser.add_argument("--top", type=int, default=30, help="functions to list from the profile")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    parser.add_argument("--no-profile", action="store_true", help="only the timings")
    parser.add_argument("--joined", action="store_true",
                        help="also extract every text joined into one document (a year of a paper in one file)")
    args = parser.parse_args()

    import jieba

    from kg.config import Config
    from kg.extract import extract, make_context

    folders = [Path(f) for f in args.folders] or [ROOT / f for f in DEFAULT_FOLDERS if (ROOT / f).exists()]
    documents = load_documents(folders)
    if not documents:
        parser.error(f"no articles (.txt) in {', '.join(map(str, folders))}")
    texts = [d.text for d in documents]
    chars = sum(map(len, texts))
    config = Config()
    context = make_context(config)

    def run() -> None:
        for document in documents:
            extract(document, context, config)

    jieba.setLogLevel(60)
    jieba.initialize()
    for text in texts[:20]:  # warm-up: dictionary, lexicons, compiled patterns
        jieba.lcut(text)
    run()

    lcut = time_jieba(texts, args.repeat)
    whole = time_extract(run, args.repeat)
    print(f"{len(documents)} documents, {chars:,} characters from {', '.join(map(str, folders))}")
    print(f"  jieba.lcut pass   {lcut:7.3f} s CPU  {chars / lcut:>12,.0f} chars/s")
    print(f"  kg extract        {whole:7.3f} s CPU  {chars / whole:>12,.0f} chars/s")
    print(f"  ratio             {whole / lcut:7.2f}x")
    for name, seconds in time_stages(run).items():
        print(f"    {name:<15} {seconds:7.3f} s CPU  {seconds / lcut:5.2f}x of the jieba pass")
    if args.joined:
        from kg.models import Document

        joined = Document("joined.txt", "joined.txt", "\n\n".join(texts))
        alone = time_extract(lambda: extract(joined, context, config), 1)
        print(f"  the same texts as one document  {alone:7.3f} s CPU  {chars / alone:>12,.0f} chars/s  "
              f"{alone / whole:.2f}x the time of {len(documents)} documents")

    if not args.no_profile:
        _forget_cuts()
        profile = cProfile.Profile()
        profile.enable()
        run()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
