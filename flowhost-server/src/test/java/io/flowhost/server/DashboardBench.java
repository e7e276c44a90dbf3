package io.flowhost.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openqa.selenium.By;

/**
 * The browser half of {@code bench/dashboard.sh}, a program rather than a test. {@code drive SERVER} keeps one
 * browser for the whole run and reads commands from its input, answering each with a line when done: {@code open
 * PATH} (the page open and following live: {@code open}), {@code close} (the tab on about:blank: {@code closed N},
 * N the refreshes the page made while open), {@code quit}. So a measured run with the dashboard closed and one with
 * it open differ only by the page. {@code render SERVER N PATH...} loads each page N times and prints, per page, the
 * milliseconds from navigation start to the page drawn with its data (ui.js records it), as {@code PATH p50 max n}.
 */
public final class DashboardBench {

    private DashboardBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("drive")) {
            drive(URI.create(args[1]));
        } else if (args.length >= 4 && args[0].equals("render")) {
            render(URI.create(args[1]), Integer.parseInt(args[2]), List.of(args).subList(3, args.length));
        } else {
            System.err.println("usage: DashboardBench drive SERVER | render SERVER N PATH...");
            System.exit(2);
        }
    }

    private static void drive(URI server) throws IOException {
        try (var browser = new Browser();
                var commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("started");
            System.out.flush();
            for (var line = commands.readLine(); line != null && !line.equals("quit"); line = commands.readLine()) {
                if (line.startsWith("open ")) {
                    browser.open(server, line.substring(5));
                    browser.waitForDashboard();
                    System.out.println("open");
                } else if (line.equals("close")) {
                    var refreshes = browser.find("#page").getDomAttribute("data-refreshes");
                    browser.driver().get("about:blank");
                    System.out.println("closed " + refreshes);
                } else {
                    System.out.println("unknown command: " + line);
                }
                System.out.flush();
            }
        }
    }

    private static void render(URI server, int times, List<String> paths) {
        try (var browser = new Browser()) {
            for (var path : paths) {
                var took = new ArrayList<Long>();
                browser.open(server, path); // once to warm the browser's cache of the scripts, as a second visit
                browser.waitForDashboard();
                for (int i = 0; i < times; i++) {
                    browser.open(server, path);
                    browser.waitForDashboard();
                    var ms = browser.driver().findElement(By.tagName("html")).getDomAttribute("data-rendered-ms");
                    took.add(Long.parseLong(ms));
                }
                Collections.sort(took);
                System.out.println(path + " " + took.get(took.size() / 2) + " " + took.getLast() + " " + times);
            }
        }
    }
}
