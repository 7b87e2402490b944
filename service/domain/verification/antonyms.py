"""Opposites for the direction check ("rose" where the source says "fell"), compared on Porter
stems so that inflections follow ("raises"/"lowered")."""

from ..words import stem

ANTONYMS = """rise:fall rose:fell risen:fallen rise:drop rose:dropped increase:decrease gain:loss
gain:lose win:lose won:lost approve:reject open:close raise:lower raise:cut high:low higher:lower
highest:lowest more:fewer more:less most:least above:below expand:shrink expand:cut grow:shrink
grew:shrank hire:fire hire:lay accept:decline support:oppose allow:ban allow:forbid first:last
before:after earlier:later early:late acquit:convict guilty:innocent profit:loss up:down
strong:weak stronger:weaker large:small larger:smaller largest:smallest big:small bigger:smaller
long:short longer:shorter extend:shorten lengthen:shorten warm:cool warmer:cooler hot:cold
dry:wet drier:wetter wetter:drier add:remove pass:fail success:failure growth:decline
cheap:expensive cheaper:costlier ahead:behind over:under double:halve new:old newer:older
full:empty rich:poor safe:dangerous legal:illegal public:private join:leave enter:exit
buy:sell bought:sold import:export north:south east:west agree:disagree true:false include:exclude
majority:minority maximum:minimum increase:cut start:end begin:end agree:refuse agreed:refused
accept:refuse accepted:refused impose:lift imposed:lifted impose:remove imposed:removed
condemn:praise condemned:praised attend:skip attended:skipped""".split()


def _opposites() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for pair in ANTONYMS:
        a, b = (stem(w) for w in pair.split(":"))
        found.setdefault(a, set()).add(b)
        found.setdefault(b, set()).add(a)
    return {word: frozenset(others) for word, others in found.items()}


_OPPOSITES = _opposites()


def opposites(stemmed: str) -> frozenset[str]:
    """The stems opposite to a stem (none for most)."""
    return _OPPOSITES.get(stemmed, frozenset())
