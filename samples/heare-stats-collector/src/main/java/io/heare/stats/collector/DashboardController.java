package io.heare.stats.collector;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /}: the live dashboard. The page, its script and style and the uPlot library
 * all come from the collector itself (no CDN, so it works offline and in sandboxed CI);
 * the script polls {@code /api/history}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@RestController
public class DashboardController {

	private static final Resource PAGE = new ClassPathResource("dashboard/index.html");

	/**
	 * Returns the dashboard page.
	 * @return the page
	 */
	@GetMapping("/")
	public ResponseEntity<Resource> dashboard() {
		return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(PAGE);
	}

}
