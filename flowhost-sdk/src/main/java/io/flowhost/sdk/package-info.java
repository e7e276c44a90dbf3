/**
 * The flowhost SDK: annotate a plain class with {@link io.flowhost.sdk.Service} and its methods
 * with {@link io.flowhost.sdk.Endpoint}, and flowhost serves them over REST.
 */
package io.flowhost.sdk;
