import time
from pathlib import Path

from reviews.contracts.models import ContractReview

CUAD = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cuad"
# A real services agreement from the shared CUAD split, for reviews end to end.
SHARED_CONTRACT = next(path for path in sorted((CUAD / "contracts").glob("*.txt")) if "SERVICES AGREEMENT" in path.name.upper())


def wait_until_finished(model, pk: int, timeout: float = 180):
    """The row once a worker has finished with it (anything with `finished` and `state`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = model.objects.get(pk=pk)
        if row.finished:
            return row
        time.sleep(0.3)
    raise TimeoutError(f"{model.__name__} {pk} still {row.state} after {timeout:.0f}s")


def wait_for_review(review_id: int, timeout: float = 180) -> ContractReview:
    return wait_until_finished(ContractReview, review_id, timeout)


def wait_for_explanations(review_id: int, timeout: float = 180) -> ContractReview:
    """The review once no explanation of its flags is pending any more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        review = ContractReview.objects.get(pk=review_id)
        if not review.findings.filter(explanation_state="queued").exists():
            return review
        time.sleep(0.3)
    raise TimeoutError(f"explanations of review {review_id} still pending after {timeout:.0f}s")
