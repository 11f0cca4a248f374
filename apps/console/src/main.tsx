import { render } from 'preact';
import { Console } from './console';
import './console.css';

const root = document.getElementById('console');
if (root) render(<Console />, root);
