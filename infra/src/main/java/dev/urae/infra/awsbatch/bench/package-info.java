/** The orchestration benchmark ({@code urae bench orchestration}): API calls and orchestrator time per stage attempt. */
package dev.urae.infra.awsbatch.bench;
