package dev.cratereactive.examples.webflux;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /measurements}: streams query results straight from CrateDB to the HTTP response (with back-pressure:
 * a slow HTTP client slows the reading from CrateDB), and inserts posted rows in bulk.
 */
@RestController
@RequestMapping("/measurements")
class MeasurementController {

    private final MeasurementRepository repository;

    MeasurementController(MeasurementRepository repository) {
        this.repository = repository;
    }

    @GetMapping(produces = {MediaType.APPLICATION_NDJSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
    Flux<Measurement> latest(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 100_000) {
            return Flux.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to 100000"));
        }
        return repository.latest(limit);
    }

    @PostMapping(consumes = {MediaType.APPLICATION_NDJSON_VALUE, MediaType.APPLICATION_JSON_VALUE},
        produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<InsertReport> insert(@RequestBody Flux<Measurement> measurements) {
        return repository.insert(measurements);
    }
}
