import time
from pathlib import Path

from reviews.models import ContractReview

CUAD = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "cuad"
# A real services agreement from the shared CUAD split, for reviews end to end.
SHARED_CONTRACT = next(path for path in sorted((CUAD / "contracts").glob("*.txt")) if "SERVICES AGREEMENT" in path.name.upper())


def wait_for_review(review_id: int, timeout: float = 180) -> ContractReview:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        review = ContractReview.objects.get(pk=review_id)
        if review.finished:
            return review
        time.sleep(0.3)
    raise TimeoutError(f"review {review_id} still {review.state} after {timeout:.0f}s")
