package web

// paginationGolden: what cases.html wrote for TestListingPaginationMarkup
// before the result count and page links moved to Go (site.pageLinks).
var paginationGolden = map[string]string{
	"/cases?region=Western&page=4": `<p id="result-count" class="result-count" aria-live="polite" aria-atomic="true">150 people found, page 4 of 8.</p>
<nav class="pagination" aria-label="Pages of results" id="pagination">
<ul>
<li><a href="/cases?page=3&amp;region=Western" rel="prev">Previous<span class="visually-hidden"> page</span></a></li>
<li><a href="/cases?region=Western"><span class="visually-hidden">Page </span>1</a></li>
<li><a href="/cases?page=2&amp;region=Western"><span class="visually-hidden">Page </span>2</a></li>
<li><a href="/cases?page=3&amp;region=Western"><span class="visually-hidden">Page </span>3</a></li>
<li><a href="/cases?page=4&amp;region=Western" aria-current="page"><span class="visually-hidden">Page </span>4</a></li>
<li><a href="/cases?page=5&amp;region=Western"><span class="visually-hidden">Page </span>5</a></li>
<li><a href="/cases?page=6&amp;region=Western"><span class="visually-hidden">Page </span>6</a></li>
<li class="gap" aria-hidden="true">…</li><li><a href="/cases?page=8&amp;region=Western"><span class="visually-hidden">Page </span>8</a></li>
<li><a href="/cases?page=5&amp;region=Western" rel="next">Next<span class="visually-hidden"> page</span></a></li>
</ul>
</nav>

</div>`,
	"/fr/cases?region=Western&page=4": `<p id="result-count" class="result-count" aria-live="polite" aria-atomic="true">150 personnes trouvées, page 4 de 8.</p>
<nav class="pagination" aria-label="Pages de résultats" id="pagination">
<ul>
<li><a href="/fr/cases?page=3&amp;region=Western" rel="prev">Précédente<span class="visually-hidden"> page</span></a></li>
<li><a href="/fr/cases?region=Western"><span class="visually-hidden">Page </span>1</a></li>
<li><a href="/fr/cases?page=2&amp;region=Western"><span class="visually-hidden">Page </span>2</a></li>
<li><a href="/fr/cases?page=3&amp;region=Western"><span class="visually-hidden">Page </span>3</a></li>
<li><a href="/fr/cases?page=4&amp;region=Western" aria-current="page"><span class="visually-hidden">Page </span>4</a></li>
<li><a href="/fr/cases?page=5&amp;region=Western"><span class="visually-hidden">Page </span>5</a></li>
<li><a href="/fr/cases?page=6&amp;region=Western"><span class="visually-hidden">Page </span>6</a></li>
<li class="gap" aria-hidden="true">…</li><li><a href="/fr/cases?page=8&amp;region=Western"><span class="visually-hidden">Page </span>8</a></li>
<li><a href="/fr/cases?page=5&amp;region=Western" rel="next">Suivante<span class="visually-hidden"> page</span></a></li>
</ul>
</nav>

</div>`,
	"/cases?region=Western&page=8": `<p id="result-count" class="result-count" aria-live="polite" aria-atomic="true">150 people found, page 8 of 8.</p>
<nav class="pagination" aria-label="Pages of results" id="pagination">
<ul>
<li><a href="/cases?page=7&amp;region=Western" rel="prev">Previous<span class="visually-hidden"> page</span></a></li>
<li><a href="/cases?region=Western"><span class="visually-hidden">Page </span>1</a></li>
<li class="gap" aria-hidden="true">…</li><li><a href="/cases?page=6&amp;region=Western"><span class="visually-hidden">Page </span>6</a></li>
<li><a href="/cases?page=7&amp;region=Western"><span class="visually-hidden">Page </span>7</a></li>
<li><a href="/cases?page=8&amp;region=Western" aria-current="page"><span class="visually-hidden">Page </span>8</a></li>

</ul>
</nav>

</div>`,
}
