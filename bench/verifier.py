"""The verifier against the project's own labelled claim set, beside a word-overlap baseline.

    .venv/bin/python bench/verifier.py

Prints what each verdict promises on this set (precision of `supported` and `unsupported`, the
share left `uncertain`), ROC AUC of `support` for both, and accuracy per category of claim.
Real labelled data: bench/real_data.py.
"""

from service.evals.verifier_eval import evaluate_verifier, score_claims


def main() -> None:
    rows = score_claims()
    report = evaluate_verifier(rows)
    supported = sum(r.supported for r in rows)
    print(
        f"{len(rows)} claims over {len({r.source_id for r in rows})} sources: "
        f"{supported} supported, {len(rows) - supported} unsupported"
    )
    for metric, value in report["verifier"].items():
        if metric != "per_category":
            print(f"verifier {metric:24}{value:8.3f}")
    print(f"baseline roc_auc                 {report['baseline']['roc_auc']:8.3f}")
    print(f"baseline balanced_accuracy       {report['baseline']['balanced_accuracy']:8.3f}")
    print(f"\n{'category':16}{'verifier':>10}{'baseline':>10}")
    for category, accuracy in report["verifier"]["per_category"].items():
        print(f"{category:16}{accuracy:10.3f}{report['baseline']['per_category'][category]:10.3f}")


if __name__ == "__main__":
    main()
