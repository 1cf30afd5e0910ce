package dev.urae.batch;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring application behind the job commands (run, resume, status, list, watch). */
@SpringBootApplication
public class UraeApplication {}
