"""The verifier against the labelled claim set, beside a plain word-overlap baseline.

    .venv/bin/python bench/verifier.py

Prints, for both on the same rows: cross-validated balanced accuracy (thresholds chosen on the
other folds of sources), recall of supported claims, ROC AUC, each fold's threshold, and
accuracy per category of claim.
"""

from service.domain.verification.support import SUPPORT_THRESHOLD
from service.evals.verifier_eval import best_threshold, evaluate_verifier, score_claims


def main() -> None:
    rows = score_claims()
    report = evaluate_verifier(rows)
    supported = sum(r.supported for r in rows)
    print(f"{len(rows)} claims over {len({r.source_id for r in rows})} sources: "
          f"{supported} supported, {len(rows) - supported} unsupported")
    print(f"{'':22}{'verifier':>10}{'baseline':>10}")
    for metric in ("balanced_accuracy", "supported_recall", "roc_auc"):
        print(f"{metric:22}{report['verifier'][metric]:10.3f}{report['baseline'][metric]:10.3f}")
    for name in ("verifier", "baseline"):
        print(f"{name} fold thresholds: {', '.join(f'{t:.3f}' for t in report[name]['fold_thresholds'])}")
    fitted = best_threshold([r.verifier for r in rows], [r.supported for r in rows])
    print(f"verifier threshold fitted on all rows: {fitted:.3f} "
          f"(the service's SUPPORT_THRESHOLD: {SUPPORT_THRESHOLD})")
    print(f"\n{'category':16}{'verifier':>10}{'baseline':>10}")
    for category, accuracy in report["verifier"]["per_category"].items():
        print(f"{category:16}{accuracy:10.3f}{report['baseline']['per_category'][category]:10.3f}")


if __name__ == "__main__":
    main()
