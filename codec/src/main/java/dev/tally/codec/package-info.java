/**
 * Event wire format v1: little-endian flyweights over Agrona buffers and a JSON decoder.
 */
package dev.tally.codec;
